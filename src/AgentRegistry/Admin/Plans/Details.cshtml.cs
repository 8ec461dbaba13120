using AgentRegistry.Catalog;
using AgentRegistry.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Admin.Plans;

public sealed class DetailsModel(RegistryDb db) : PageModel
{
    public AgentPlan Plan { get; private set; } = null!;
    public List<Field> Fields { get; private set; } = [];
    public List<AuditLog> History { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await db.Plans.AsNoTracking().Include(p => p.Agent).FirstOrDefaultAsync(p => p.Id == id, ct) is not { } p) return NotFound();
        Plan = p;
        Fields =
        [
            new("Id", p.Id), new("Name", p.Name), new("Agent", p.Agent?.Name, AdminLinks.Agent(p.AgentId)),
            new("Description", p.Description, Block: true), new("Unit", p.Unit), new("Unit price", p.UnitPrice),
            new("Active", p.IsActive), new("Waldur plan", p.WaldurPlanUuid), new("Created", p.CreatedAt),
        ];
        History = await AuditHistory.ForAsync(db, nameof(AgentPlan), id, ct);
        return Page();
    }
}
