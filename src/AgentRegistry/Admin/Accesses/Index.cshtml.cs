using AgentRegistry.Access;
using AgentRegistry.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Admin.Accesses;

public sealed class IndexModel(RegistryDb db) : AdminListPage<AgentAccess>
{
    [BindProperty(SupportsGet = true)] public AccessState? State { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? Tenant { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? Agent { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? Project { get; set; }

    public override string Title => "Accesses";
    protected override string? NewHref => "/admin/accesses/edit";

    protected override IQueryable<AgentAccess> Query(string? term) => db.Accesses
        .Include(a => a.Tenant).Include(a => a.Project).Include(a => a.Agent).Include(a => a.Plan)
        .Where(a => term == null || a.Name.ToLower().Contains(term) || a.Tenant!.Name.ToLower().Contains(term)
            || a.Project!.Name.ToLower().Contains(term) || a.Agent!.Slug.Contains(term))
        .Where(a => State == null || a.State == State)
        .Where(a => Tenant == null || a.TenantId == Tenant)
        .Where(a => Agent == null || a.AgentId == Agent)
        .Where(a => Project == null || a.ProjectId == Project)
        .OrderByDescending(a => a.CreatedAt).ThenBy(a => a.Id);

    protected override IEnumerable<Column<AgentAccess>> Columns() =>
    [
        new("Name", a => a.Name, a => AdminLinks.Access(a.Id)),
        new("State", a => a.State),
        new("Tenant", a => a.Tenant?.Name, a => AdminLinks.Tenant(a.TenantId)),
        new("Project", a => a.Project?.Name, a => AdminLinks.Project(a.ProjectId)),
        new("Agent", a => a.Agent?.Slug, a => AdminLinks.Agent(a.AgentId)),
        new("Plan", a => a.Plan?.Name, a => AdminLinks.Plan(a.PlanId)),
        new("Created", a => a.CreatedAt),
    ];

    protected override async Task<IReadOnlyList<Filter>> FiltersAsync(CancellationToken ct) =>
    [
        new("state", "State", AdminFormat.Options<AccessState>(), State?.ToString()),
        new("tenant", "Tenant", await AdminChoices.TenantsAsync(db, ct), Tenant?.ToString()),
        new("agent", "Agent", await AdminChoices.AgentsAsync(db, ct), Agent?.ToString()),
    ];
}
