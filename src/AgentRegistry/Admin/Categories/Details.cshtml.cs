using AgentRegistry.Catalog;
using AgentRegistry.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Admin.Categories;

public sealed class DetailsModel(RegistryDb db) : PageModel
{
    public AgentCategory Category { get; private set; } = null!;
    public List<Field> Fields { get; private set; } = [];
    public List<AuditLog> History { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await db.Categories.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct) is not { } category) return NotFound();
        Category = category;
        Fields =
        [
            new("Id", category.Id), new("Name", category.Name), new("Slug", category.Slug),
            new("Description", category.Description, Block: true), new("Agents", await db.Agents.CountAsync(a => a.CategoryId == id, ct)),
            new("Created", category.CreatedAt),
        ];
        History = await AuditHistory.ForAsync(db, nameof(AgentCategory), id, ct);
        return Page();
    }
}
