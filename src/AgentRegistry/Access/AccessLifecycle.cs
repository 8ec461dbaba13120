using AgentRegistry.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Access;

/// <summary>State changes of an access and what must follow them, shared by the API, the admin and the Waldur flow.</summary>
public sealed class AccessLifecycle(RegistryDb db, ApiKeyCache keys)
{
    /// <summary>Moves the access and saves. Terminating revokes every key of the access.</summary>
    public async Task MoveAsync(AgentAccess access, AccessState next, CancellationToken ct)
    {
        if (access.State == next) return;
        access.MoveTo(next);
        if (next == AccessState.Terminated)
        {
            var now = DateTime.UtcNow;
            foreach (var key in await db.ApiKeys.Where(k => k.AccessId == access.Id && k.RevokedAt == null).ToListAsync(ct))
                key.RevokedAt = now;
        }
        await db.SaveChangesAsync(ct);
        keys.EvictAccess(access.Id);
    }

    /// <summary>Creates a key and returns its plaintext, which is never stored and never shown again.</summary>
    public (ApiKey Key, string Plaintext) Issue(AgentAccess access, string name, IEnumerable<string> scopes, DateTime? expiresAt)
    {
        if (access.State == AccessState.Terminated)
            throw new ConflictException("access-terminated", "A terminated subscription cannot get new API keys.");
        var plaintext = ApiKeyFormat.Generate();
        var key = new ApiKey
        {
            TenantId = access.TenantId, AccessId = access.Id, Name = name, Prefix = ApiKeyFormat.DisplayPrefix(plaintext),
            Hash = ApiKeyFormat.Hash(plaintext), Scopes = scopes.Distinct().ToList(), ExpiresAt = expiresAt,
            CreatedBy = db.Caller.Actor,
        };
        db.ApiKeys.Add(key);
        return (key, plaintext);
    }
}
