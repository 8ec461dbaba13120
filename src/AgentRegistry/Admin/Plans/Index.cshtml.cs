using AgentRegistry.Catalog;
using AgentRegistry.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Admin.Plans;

public sealed class IndexModel(RegistryDb db) : AdminListPage<AgentPlan>
{
    [BindProperty(SupportsGet = true)] public Guid? Agent { get; set; }

    public override string Title => "Plans";

    protected override IQueryable<AgentPlan> Query(string? term) => db.Plans.Include(p => p.Agent)
        .Where(p => term == null || p.Name.ToLower().Contains(term) || p.Agent!.Name.ToLower().Contains(term) || p.Agent.Slug.Contains(term))
        .Where(p => Agent == null || p.AgentId == Agent)
        .OrderBy(p => p.Agent!.Name).ThenBy(p => p.CreatedAt).ThenBy(p => p.Id);

    protected override IEnumerable<Column<AgentPlan>> Columns() =>
    [
        new("Name", p => p.Name, p => AdminLinks.Plan(p.Id)),
        new("Agent", p => p.Agent?.Name, p => AdminLinks.Agent(p.AgentId)),
        new("Unit", p => p.Unit),
        new("Unit price", p => p.UnitPrice),
        new("Components", p => string.Join(", ", p.Components.Select(c => c.Type))),
        new("Active", p => p.IsActive),
        new("Waldur plan", p => p.WaldurPlanUuid),
    ];

    protected override async Task<IReadOnlyList<Filter>> FiltersAsync(CancellationToken ct) =>
        [new("agent", "Agent", await AdminChoices.AgentsAsync(db, ct), Agent?.ToString())];
}
