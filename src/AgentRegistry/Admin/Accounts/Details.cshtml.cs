using AgentRegistry.Tenancy;
using AgentRegistry.Identity;
using AgentRegistry.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Admin.Accounts;

public sealed class DetailsModel(RegistryDb db, LocalAccounts accounts) : PageModel
{
    public LocalAccount Account { get; private set; } = null!;
    public List<Field> Fields { get; private set; } = [];
    public List<AuditLog> History { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await db.LocalAccounts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, ct) is not { } a) return NotFound();
        Account = a;
        var tenants = await accounts.TenantsOfAsync(a, ct);
        var names = await db.Tenants.Where(x => tenants.Contains(x.Id)).ToDictionaryAsync(x => x.Id, x => x.Name, ct);
        Fields =
        [
            new("Id", a.Id), new("Email", a.Email), new("Name", a.DisplayName), new("Role", a.Role),
            .. tenants.Select((t, i) => new Field(i == 0 ? "Home tenant" : "Also member of", names.GetValueOrDefault(t), AdminLinks.Tenant(t))),
            new("Disabled", a.IsDisabled), new("Last sign-in", a.LastLoginAt), new("Created", a.CreatedAt),
        ];
        History = await AuditHistory.ForAsync(db, nameof(LocalAccount), id, ct);
        return Page();
    }
}
