using AgentRegistry.Catalog;
using AgentRegistry.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Admin.Agents;

public sealed class DetailsModel(RegistryDb db) : PageModel
{
    public Agent Agent { get; private set; } = null!;
    public List<Field> Fields { get; private set; } = [];
    public List<AuditLog> History { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await db.Agents.AsNoTracking().Include(a => a.Category).Include(a => a.Plans).FirstOrDefaultAsync(a => a.Id == id, ct) is not { } a)
            return NotFound();
        Agent = a;
        Fields =
        [
            new("Id", a.Id), new("Name", a.Name), new("Slug", a.Slug),
            new("Category", a.Category?.Name, AdminLinks.Category(a.CategoryId)),
            new("Description", a.Description, Block: true), new("Default persona", a.DefaultPersona, Block: true),
            new("Welcome message", a.WelcomeMessage), new("Provider", a.Provider), new("Model", a.Model), new("Endpoint", a.Endpoint),
            new("Active", a.IsActive), new("Waldur offering", a.WaldurOfferingUuid), new("Offering state", a.WaldurOfferingState),
            new("Published", a.PublishedAt), new("Created", a.CreatedAt),
        ];
        History = await AuditHistory.ForAsync(db, nameof(Agent), id, ct);
        return Page();
    }
}
