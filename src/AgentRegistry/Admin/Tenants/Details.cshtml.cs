using AgentRegistry.Access;
using AgentRegistry.Identity;
using AgentRegistry.Infrastructure;
using AgentRegistry.Tenancy;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Admin.Tenants;

public sealed class DetailsModel(RegistryDb db) : PageModel
{
    public Tenant Tenant { get; private set; } = null!;
    public List<TenantProject> Projects { get; private set; } = [];
    public List<Field> Fields { get; private set; } = [];
    public List<AuditLog> History { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await db.Tenants.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, ct) is not { } t) return NotFound();
        Tenant = t;
        Projects = await db.Projects.AsNoTracking().Where(p => p.TenantId == id).OrderBy(p => p.Name).ToListAsync(ct);
        Fields =
        [
            new("Id", t.Id), new("Name", t.Name), new("Slug", t.Slug), new("Email", t.Email), new("Blocked", t.IsBlocked),
            new("Waldur customer", t.WaldurCustomerUuid),
            new("Accesses", await db.Accesses.CountAsync(a => a.TenantId == id, ct), $"/admin/accesses?tenant={id}"),
            new("Members", await db.LocalAccounts.CountAsync(a => a.TenantId == id, ct), $"/admin/accounts?tenant={id}"),
            new("Created", t.CreatedAt), new("Updated", t.UpdatedAt),
        ];
        History = await AuditHistory.ForAsync(db, nameof(Tenant), id, ct);
        return Page();
    }
}
