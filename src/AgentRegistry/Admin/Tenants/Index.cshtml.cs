using AgentRegistry.Infrastructure;
using AgentRegistry.Tenancy;
using Microsoft.AspNetCore.Mvc;

namespace AgentRegistry.Admin.Tenants;

public sealed class IndexModel(RegistryDb db) : AdminListPage<Tenant>
{
    [BindProperty(SupportsGet = true)] public bool? Blocked { get; set; }

    public override string Title => "Tenants";
    protected override string? NewHref => "/admin/tenants/edit";

    protected override IQueryable<Tenant> Query(string? term) => db.Tenants
        .Where(t => term == null || t.Name.ToLower().Contains(term) || t.Slug.Contains(term) || (t.Email != null && t.Email.ToLower().Contains(term)))
        .Where(t => Blocked == null || t.IsBlocked == Blocked)
        .OrderBy(t => t.Name).ThenBy(t => t.Id);

    protected override IEnumerable<Column<Tenant>> Columns() =>
    [
        new("Name", t => t.Name, t => AdminLinks.Tenant(t.Id)),
        new("Slug", t => t.Slug),
        new("Email", t => t.Email),
        new("Blocked", t => t.IsBlocked),
        new("Waldur customer", t => t.WaldurCustomerUuid),
        new("Created", t => t.CreatedAt),
    ];

    protected override Task<IReadOnlyList<Filter>> FiltersAsync(CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<Filter>>([new("blocked", "Blocked", [new("true", "yes"), new("false", "no")], Blocked?.ToString())]);
}
