using AgentRegistry.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AgentRegistry.Access;

/// <summary>A key just made, with the plaintext that is shown this once and never stored.</summary>
public sealed record NewApiKey(ApiKey Key, string Plaintext);

/// <summary>
/// The API keys of an access: list, issue, rotate, revoke and the one-time reveal. The REST API, the admin and the
/// portal all call these, so the rules (scopes, expiry, overlap, who may see which key) live here once. The data
/// layer hides other tenants' accesses and keys: for them every method answers null, which callers turn into 404.
/// </summary>
public sealed class ApiKeyService(RegistryDb db, AccessLifecycle lifecycle, IOptions<ApiKeyOptions> options, TimeProvider clock)
{
    public int DefaultOverlapHours => options.Value.RotationOverlapHours;

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>The access's keys, newest first.</summary>
    public async Task<List<ApiKeyView>?> ListAsync(Guid accessId, CancellationToken ct)
    {
        if (!await db.Accesses.AnyAsync(a => a.Id == accessId, ct)) return null;
        var keys = await db.ApiKeys.AsNoTracking().Where(k => k.AccessId == accessId).OrderByDescending(k => k.CreatedAt).ToListAsync(ct);
        return keys.Select(k => ApiKeyView.Of(k, Now)).ToList();
    }

    /// <summary>Checks scopes and expiry, issues the key and saves.</summary>
    public async Task<NewApiKey?> IssueAsync(Guid accessId, ApiKeyInput input, CancellationToken ct)
    {
        if (await db.Accesses.FirstOrDefaultAsync(a => a.Id == accessId, ct) is not { } access) return null;
        await AccessStanding.EnsureMayIssueKeysAsync(db, accessId, Now, ct);
        var scopes = input.Scopes ?? [.. ApiKeyScopes.Default];
        if (scopes.FirstOrDefault(s => !ApiKeyScopes.All.Contains(s)) is { } unknown)
            throw new FieldException("scopes", $"Unknown scope '{unknown}'; use {string.Join(", ", ApiKeyScopes.All)}.");
        if (scopes.Count == 0) throw new FieldException("scopes", "A key needs at least one scope.");
        if (input.ExpiresAt is { } at && at.ToUniversalTime() <= Now)
            throw new FieldException("expires_at", "The expiry must be in the future.");
        var (key, plaintext) = lifecycle.Issue(access, input.Name.Trim(), scopes, input.ExpiresAt?.ToUniversalTime());
        await db.SaveChangesAsync(ct);
        return new NewApiKey(key, plaintext);
    }

    /// <summary>
    /// Issues a successor with the same name and scopes; the old key keeps working for the overlap
    /// (<see cref="DefaultOverlapHours"/> when not given). <paramref name="accessId"/>, when given, must own the key.
    /// </summary>
    public async Task<NewApiKey?> RotateAsync(Guid keyId, Guid? accessId, int? overlapHours, CancellationToken ct)
    {
        if (await FindAsync(keyId, accessId, ct) is not { } old) return null;
        var access = await db.Accesses.FirstAsync(a => a.Id == old.AccessId, ct);
        await AccessStanding.EnsureMayIssueKeysAsync(db, access.Id, Now, ct);
        var now = Now;
        if (old.IsRevoked || old.IsExpired(now))
            throw new ConflictException("api-key-inactive", "Only an active key can be rotated; create a new key instead.");

        var (key, plaintext) = lifecycle.Issue(access, old.Name, old.Scopes, old.ExpiresAt);
        var overlapEnd = now.AddHours(overlapHours ?? DefaultOverlapHours);
        old.ExpiresAt = old.ExpiresAt is { } e && e < overlapEnd ? e : overlapEnd;
        old.ReplacedById = key.Id;
        if (old.ExpiresAt <= now) old.RevokedAt = now;
        await db.SaveChangesAsync(ct);
        return new NewApiKey(key, plaintext);
    }

    /// <summary>Revokes the key; the save makes every key cache forget it at once (<see cref="ApiKeyCache.Forget"/>).</summary>
    public async Task<ApiKey?> RevokeAsync(Guid keyId, Guid? accessId, CancellationToken ct)
    {
        if (await FindAsync(keyId, accessId, ct) is not { } key) return null;
        key.RevokedAt ??= Now;
        await db.SaveChangesAsync(ct);
        return key;
    }

    /// <summary>Shows, once, the plaintext of a key the registry made for the customer (the first key of a Waldur order).</summary>
    public async Task<NewApiKey?> RevealAsync(Guid keyId, Guid accessId, CancellationToken ct)
    {
        if (await FindAsync(keyId, accessId, ct) is not { } key) return null;
        var plaintext = lifecycle.Unseal(key) ?? throw new ConflictException("api-key-already-revealed",
            "This key's plaintext was shown once already; rotate it to get a new one.");
        await db.SaveChangesAsync(ct);
        return new NewApiKey(key, plaintext);
    }

    private Task<ApiKey?> FindAsync(Guid keyId, Guid? accessId, CancellationToken ct) =>
        db.ApiKeys.FirstOrDefaultAsync(k => k.Id == keyId && (accessId == null || k.AccessId == accessId), ct);
}
