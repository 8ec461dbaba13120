using AgentRegistry.Catalog;
using AgentRegistry.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Admin.Agents;

public sealed class IndexModel(RegistryDb db) : AdminListPage<Agent>
{
    [BindProperty(SupportsGet = true)] public Guid? Category { get; set; }
    [BindProperty(SupportsGet = true)] public bool? Active { get; set; }

    public override string Title => "Agents";
    protected override string? NewHref => "/admin/agents/edit";

    protected override IQueryable<Agent> Query(string? term) => db.Agents.Include(a => a.Category)
        .Where(a => term == null || a.Name.ToLower().Contains(term) || a.Slug.Contains(term))
        .Where(a => Category == null || a.CategoryId == Category)
        .Where(a => Active == null || a.IsActive == Active)
        .OrderBy(a => a.Name).ThenBy(a => a.Id);

    protected override IEnumerable<Column<Agent>> Columns() =>
    [
        new("Name", a => a.Name, a => AdminLinks.Agent(a.Id)),
        new("Slug", a => a.Slug),
        new("Category", a => a.Category?.Name, a => AdminLinks.Category(a.CategoryId)),
        new("Provider", a => a.Provider),
        new("Active", a => a.IsActive),
        new("Published", a => a.PublishedAt),
        new("Created", a => a.CreatedAt),
    ];

    protected override async Task<IReadOnlyList<Filter>> FiltersAsync(CancellationToken ct) =>
    [
        new("category", "Category", await AdminChoices.CategoriesAsync(db, ct), Category?.ToString()),
        new("active", "Active", [new("true", "yes"), new("false", "no")], Active?.ToString()),
    ];
}
