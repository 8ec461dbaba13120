using AgentRegistry.Access;
using AgentRegistry.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Admin.ApiKeys;

public sealed class DetailsModel(RegistryDb db, ApiKeyService keys) : PageModel
{
    public ApiKey Key { get; private set; } = null!;
    public string Status { get; private set; } = "";
    public List<Field> Fields { get; private set; } = [];
    public List<AuditLog> History { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await db.ApiKeys.AsNoTracking().Include(k => k.Access).FirstOrDefaultAsync(k => k.Id == id, ct) is not { } k) return NotFound();
        Key = k;
        Status = KeyStatus.Of(k, db.Clock.GetUtcNow().UtcDateTime);
        Fields =
        [
            new("Id", k.Id), new("Name", k.Name), new("Prefix", k.Prefix + "…"), new("Status", Status),
            new("Access", k.Access?.Name, AdminLinks.Access(k.AccessId)), new("Tenant", k.TenantId, AdminLinks.Tenant(k.TenantId)),
            new("Scopes", string.Join(", ", k.Scopes)), new("Expires", k.ExpiresAt), new("Revoked", k.RevokedAt),
            new("Last used", k.LastUsedAt), new("Replaced by", k.ReplacedById, k.ReplacedById is { } r ? AdminLinks.ApiKey(r) : null),
            new("Created by", k.CreatedBy), new("Created", k.CreatedAt),
        ];
        History = await AuditHistory.ForAsync(db, nameof(ApiKey), id, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(Guid id, string? back, CancellationToken ct)
    {
        if (await keys.RevokeAsync(id, null, ct) is null) return NotFound();
        return Redirect(Url.IsLocalUrl(back) ? back! : AdminLinks.ApiKey(id));
    }
}
