using AgentRegistry.Access;
using AgentRegistry.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Admin.ApiKeys;

public sealed class IndexModel(RegistryDb db) : AdminListPage<ApiKey>
{
    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? Tenant { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? Access { get; set; }
    private readonly DateTime _now = db.Clock.GetUtcNow().UtcDateTime;

    public override string Title => "API keys";

    protected override IQueryable<ApiKey> Query(string? term)
    {
        var now = _now;
        var keys = db.ApiKeys.Include(k => k.Access)
            .Where(k => term == null || k.Name.ToLower().Contains(term) || k.Prefix.ToLower().Contains(term) || k.Access!.Name.ToLower().Contains(term))
            .Where(k => Tenant == null || k.TenantId == Tenant)
            .Where(k => Access == null || k.AccessId == Access);
        keys = Status switch
        {
            KeyStatus.Active => keys.Where(k => k.RevokedAt == null && (k.ExpiresAt == null || k.ExpiresAt > now)),
            KeyStatus.Expired => keys.Where(k => k.RevokedAt == null && k.ExpiresAt != null && k.ExpiresAt <= now),
            KeyStatus.Revoked => keys.Where(k => k.RevokedAt != null),
            _ => keys,
        };
        return keys.OrderByDescending(k => k.CreatedAt).ThenBy(k => k.Id);
    }

    protected override IEnumerable<Column<ApiKey>> Columns() =>
    [
        new("Name", k => k.Name, k => AdminLinks.ApiKey(k.Id)),
        new("Prefix", k => k.Prefix + "…"),
        new("Status", k => KeyStatus.Of(k, _now)),
        new("Access", k => k.Access?.Name, k => AdminLinks.Access(k.AccessId)),
        new("Scopes", k => string.Join(", ", k.Scopes)),
        new("Last used", k => k.LastUsedAt),
        new("Expires", k => k.ExpiresAt),
        new("Created", k => k.CreatedAt),
    ];

    protected override async Task<IReadOnlyList<Filter>> FiltersAsync(CancellationToken ct) =>
    [
        new("status", "Status", [new(KeyStatus.Active, KeyStatus.Active), new(KeyStatus.Expired, KeyStatus.Expired), new(KeyStatus.Revoked, KeyStatus.Revoked)], Status),
        new("tenant", "Tenant", await AdminChoices.TenantsAsync(db, ct), Tenant?.ToString()),
    ];
}
