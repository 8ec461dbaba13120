using AgentRegistry.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Admin.Audit;

public sealed class DetailsModel(RegistryDb db) : PageModel
{
    public AuditLog Entry { get; private set; } = null!;
    public List<Field> Fields { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct)
    {
        if (await db.AuditLogs.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, ct) is not { } a) return NotFound();
        Entry = a;
        Fields =
        [
            new("When", a.At), new("Actor", a.Actor), new("Action", a.Action), new("Entity type", a.EntityType),
            new("Entity id", a.EntityId, AdminLinks.Entity(a.EntityType, a.EntityId)),
            new("Tenant", a.TenantId, a.TenantId is { } t ? AdminLinks.Tenant(t) : null),
            new("Changes", a.Changes, Block: true),
        ];
        return Page();
    }
}
