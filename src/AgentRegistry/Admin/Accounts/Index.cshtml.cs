using AgentRegistry.Identity;
using AgentRegistry.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace AgentRegistry.Admin.Accounts;

public sealed class IndexModel(RegistryDb db) : AdminListPage<LocalAccount>
{
    [BindProperty(SupportsGet = true)] public string? Role { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? Tenant { get; set; }

    public override string Title => "Accounts";
    protected override string? NewHref => "/admin/accounts/edit";

    protected override IQueryable<LocalAccount> Query(string? term) => db.LocalAccounts
        .Where(a => term == null || a.Email.Contains(term) || a.DisplayName.ToLower().Contains(term))
        .Where(a => Role == null || a.Role == Role)
        .Where(a => Tenant == null || a.TenantId == Tenant || db.Set<Membership>().Any(m => m.AccountId == a.Id && m.TenantId == Tenant))
        .OrderBy(a => a.Email).ThenBy(a => a.Id);

    protected override IEnumerable<Column<LocalAccount>> Columns() =>
    [
        new("Email", a => a.Email, a => AdminLinks.Account(a.Id)),
        new("Name", a => a.DisplayName),
        new("Role", a => a.Role),
        new("Home tenant", a => a.TenantId, a => a.TenantId is { } t ? AdminLinks.Tenant(t) : null),
        new("Disabled", a => a.IsDisabled),
        new("Last sign-in", a => a.LastLoginAt),
    ];

    protected override async Task<IReadOnlyList<Filter>> FiltersAsync(CancellationToken ct) =>
    [
        new("role", "Role", [new(Roles.Operator, Roles.Operator), new(Roles.Member, Roles.Member)], Role),
        new("tenant", "Tenant", await AdminChoices.TenantsAsync(db, ct), Tenant?.ToString()),
    ];
}
