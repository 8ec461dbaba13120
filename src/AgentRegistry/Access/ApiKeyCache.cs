using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Primitives;

namespace AgentRegistry.Access;

/// <summary>What a valid key grants, as cached between requests.</summary>
public sealed record ApiKeyGrant(
    Guid KeyId, Guid TenantId, Guid AccessId, Guid AgentId, string Prefix, string[] Scopes,
    DateTime? ExpiresAt, bool Revoked, AccessStanding Standing);

public sealed class ApiKeyOptions
{
    public const string Section = "ApiKeys";
    /// <summary>How long a verified key is trusted without asking the database. Revocation on this
    /// instance is immediate; on other replicas it takes at most this long.</summary>
    public int CacheSeconds { get; set; } = 30;
    /// <summary>Default overlap during which a rotated key still works.</summary>
    public int RotationOverlapHours { get; set; } = 24;
    /// <summary>Requests one key may make per minute (429 with Retry-After above it), across replicas when Redis is configured.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 100_000_000)]
    public int RequestsPerMinute { get; set; } = 1200;
}

/// <summary>
/// Keeps verified keys in memory so authentication does not hit the database per request.
/// Entries are tied to their access, so changing an access (suspend, terminate) drops all its keys at once.
/// </summary>
public sealed class ApiKeyCache(IMemoryCache cache, Microsoft.Extensions.Options.IOptions<ApiKeyOptions> options) : Infrastructure.IForgetsChanges
{
    private static readonly object Missing = new();
    private readonly ConcurrentDictionary<Guid, CancellationTokenSource> _byAccess = new();
    private readonly ConcurrentDictionary<Guid, CancellationTokenSource> _byTenant = new();
    private readonly TimeSpan _ttl = TimeSpan.FromSeconds(options.Value.CacheSeconds);

    public bool TryGet(string hashKey, out ApiKeyGrant? grant)
    {
        if (cache.TryGetValue(hashKey, out var value))
        {
            grant = value as ApiKeyGrant;
            return true;
        }
        grant = null;
        return false;
    }

    public void Set(string hashKey, ApiKeyGrant? grant)
    {
        using var entry = cache.CreateEntry(hashKey);
        entry.Value = grant ?? Missing;
        entry.AbsoluteExpirationRelativeToNow = grant is null ? TimeSpan.FromSeconds(Math.Min(5, _ttl.TotalSeconds)) : _ttl;
        if (grant is not null)
        {
            entry.AddExpirationToken(new CancellationChangeToken(_byAccess.GetOrAdd(grant.AccessId, _ => new()).Token));
            entry.AddExpirationToken(new CancellationChangeToken(_byTenant.GetOrAdd(grant.TenantId, _ => new()).Token));
        }
    }

    public void Evict(byte[] hash) => cache.Remove(Convert.ToHexString(hash));

    /// <summary>
    /// A changed key (revoked, rotated) or access (suspended, terminated) drops the access's keys, a changed tenant or project the tenant's: told by every save on
    /// this replica and, with Redis, on the others, so a revocation stops the key everywhere at once.
    /// </summary>
    public IReadOnlyCollection<Type> Watches { get; } = [typeof(ApiKey), typeof(AgentAccess), typeof(Tenancy.Tenant), typeof(Tenancy.TenantProject)];

    public void Forget(IReadOnlyList<(object Entity, Microsoft.EntityFrameworkCore.EntityState State)> changed)
    {
        foreach (var (entity, state) in changed)
            switch (entity)
            {
                case ApiKey k when state != Microsoft.EntityFrameworkCore.EntityState.Added: EvictAccess(k.AccessId); break;
                case AgentAccess a when state != Microsoft.EntityFrameworkCore.EntityState.Added: EvictAccess(a.Id); break;
                // Blocking a tenant, or removing or ending a project, stops the tenant's keys at once.
                case Tenancy.Tenant t when state != Microsoft.EntityFrameworkCore.EntityState.Added: Evict(_byTenant, t.Id); break;
                case Tenancy.TenantProject p when state != Microsoft.EntityFrameworkCore.EntityState.Added: Evict(_byTenant, p.TenantId); break;
            }
    }

    public void EvictAccess(Guid accessId) => Evict(_byAccess, accessId);

    private static void Evict(ConcurrentDictionary<Guid, CancellationTokenSource> tokens, Guid id)
    {
        if (tokens.TryRemove(id, out var source))
        {
            source.Cancel();
            source.Dispose();
        }
    }
}
