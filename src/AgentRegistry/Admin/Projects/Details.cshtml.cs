using AgentRegistry.Access;
using AgentRegistry.Infrastructure;
using AgentRegistry.Tenancy;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Admin.Projects;

public sealed class DetailsModel(RegistryDb db) : PageModel
{
    public TenantProject Project { get; private set; } = null!;
    public List<Field> Fields { get; private set; } = [];
    public List<AuditLog> History { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await db.Projects.AsNoTracking().Include(p => p.Tenant).FirstOrDefaultAsync(p => p.Id == id, ct) is not { } p) return NotFound();
        Project = p;
        Fields =
        [
            new("Id", p.Id), new("Name", p.Name), new("Tenant", p.Tenant?.Name, AdminLinks.Tenant(p.TenantId)),
            new("Waldur project", p.WaldurProjectUuid), new("End date", p.EndDate), new("Removed", p.IsRemoved),
            new("Accesses", await db.Accesses.CountAsync(a => a.ProjectId == id, ct), $"/admin/accesses?project={id}"),
            new("Created", p.CreatedAt),
        ];
        History = await AuditHistory.ForAsync(db, nameof(TenantProject), id, ct);
        return Page();
    }
}
