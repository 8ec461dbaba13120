using AgentRegistry.Catalog;
using AgentRegistry.Infrastructure;

namespace AgentRegistry.Admin.Categories;

public sealed class IndexModel(RegistryDb db) : AdminListPage<AgentCategory>
{
    public override string Title => "Categories";
    protected override string? NewHref => "/admin/categories/edit";

    protected override IQueryable<AgentCategory> Query(string? term) => db.Categories
        .Where(c => term == null || c.Name.ToLower().Contains(term) || c.Slug.Contains(term))
        .OrderBy(c => c.Name).ThenBy(c => c.Id);

    protected override IEnumerable<Column<AgentCategory>> Columns() =>
    [
        new("Name", c => c.Name, c => AdminLinks.Category(c.Id)),
        new("Slug", c => c.Slug),
        new("Description", c => c.Description),
        new("Created", c => c.CreatedAt),
    ];
}
