using AgentRegistry.Access;
using AgentRegistry.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Admin.Configurations;

public sealed class DetailsModel(RegistryDb db) : PageModel
{
    public List<Field> Fields { get; private set; } = [];
    public List<AuditLog> History { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await db.CustomerConfigurations.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct) is not { } c) return NotFound();
        Fields = EntityFields.Of(c, nameof(CustomerConfiguration.SystemInstructions), nameof(CustomerConfiguration.FallbackAnswer));
        History = await AuditHistory.ForAsync(db, nameof(CustomerConfiguration), id, ct);
        return Page();
    }
}
