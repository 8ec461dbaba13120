using AgentRegistry.Infrastructure;
using AgentRegistry.Tenancy;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Admin.Projects;

public sealed class IndexModel(RegistryDb db) : AdminListPage<TenantProject>
{
    [BindProperty(SupportsGet = true)] public Guid? Tenant { get; set; }

    public override string Title => "Projects";
    protected override string? NewHref => "/admin/projects/edit";

    protected override IQueryable<TenantProject> Query(string? term) => db.Projects.Include(p => p.Tenant)
        .Where(p => term == null || p.Name.ToLower().Contains(term) || p.Tenant!.Name.ToLower().Contains(term))
        .Where(p => Tenant == null || p.TenantId == Tenant)
        .OrderBy(p => p.Tenant!.Name).ThenBy(p => p.Name).ThenBy(p => p.Id);

    protected override IEnumerable<Column<TenantProject>> Columns() =>
    [
        new("Name", p => p.Name, p => AdminLinks.Project(p.Id)),
        new("Tenant", p => p.Tenant?.Name, p => AdminLinks.Tenant(p.TenantId)),
        new("Waldur project", p => p.WaldurProjectUuid),
        new("End date", p => p.EndDate),
        new("Removed", p => p.IsRemoved),
        new("Created", p => p.CreatedAt),
    ];

    protected override async Task<IReadOnlyList<Filter>> FiltersAsync(CancellationToken ct) =>
        [new("tenant", "Tenant", await AdminChoices.TenantsAsync(db, ct), Tenant?.ToString())];
}
