using AgentRegistry.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Access;

/// <summary>
/// What another feature stops when an access is terminated (its widgets stop answering visitors), before the termination
/// is saved. Each feature that hangs things on an access registers one, so that Access depends on none of them.
/// </summary>
public interface IAccessTermination
{
    Task TerminatedAsync(Guid accessId, DateTime at, CancellationToken ct);
}

/// <summary>State changes of an access and what must follow them, shared by the API, the admin and the Waldur flow.</summary>
public sealed class AccessLifecycle(RegistryDb db, IDataProtectionProvider protection, TimeProvider clock,
    IEnumerable<IAccessTermination> followers)
{
    /// <summary>
    /// Moves the access and saves. Terminating revokes every key of the access and tells each <see cref="IAccessTermination"/>
    /// (its widgets stop).
    /// </summary>
    public async Task MoveAsync(AgentAccess access, AccessState next, CancellationToken ct)
    {
        if (access.State == next) return;
        var now = clock.GetUtcNow().UtcDateTime;
        access.MoveTo(next, now);
        if (next == AccessState.Terminated)
        {
            // Terminated outside a Waldur order (the order closes it on its own clock first): its plan period ends too.
            await AccessPlanPeriods.CloseAsync(db, access.Id, access.TerminatedAt ?? now, ct);
            foreach (var key in await db.ApiKeys.Where(k => k.AccessId == access.Id && k.RevokedAt == null).ToListAsync(ct))
                key.RevokedAt = now;
            foreach (var follower in followers) await follower.TerminatedAsync(access.Id, now, ct);
        }
        await db.SaveChangesAsync(ct);
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

    /// <summary>Issues a key whose plaintext a member of the tenant may reveal once (the registry made it on their behalf).</summary>
    public ApiKey IssueSealed(AgentAccess access, string name, IEnumerable<string> scopes)
    {
        var (key, plaintext) = Issue(access, name, scopes, null);
        key.SealedPlaintext = Protector.Protect(plaintext);
        return key;
    }

    /// <summary>The sealed plaintext, once; the caller saves the cleared key.</summary>
    public string? Unseal(ApiKey key)
    {
        if (key.SealedPlaintext is null || key.IsRevoked) return null;
        var plaintext = Protector.Unprotect(key.SealedPlaintext);
        key.SealedPlaintext = null;
        return plaintext;
    }

    private IDataProtector Protector => protection.CreateProtector("AgentRegistry.ApiKeys.Sealed");
}
