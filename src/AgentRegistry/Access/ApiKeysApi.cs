using System.ComponentModel.DataAnnotations;
using AgentRegistry.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AgentRegistry.Access;

public sealed record ApiKeyInput([property: Required, StringLength(100, MinimumLength = 1)] string Name,
    [property: MaxLength(10)] List<string>? Scopes, DateTime? ExpiresAt);

public sealed record RotateInput([property: Range(0, 24 * 30)] int? OverlapHours);

public sealed record ApiKeyView(Guid Id, Guid AccessId, string Name, string Prefix, IReadOnlyList<string> Scopes, string Status,
    DateTime? ExpiresAt, DateTime? RevokedAt, DateTime? LastUsedAt, Guid? ReplacedById, string CreatedBy, DateTime CreatedAt,
    bool CanReveal)
{
    public static ApiKeyView Of(ApiKey k, DateTime now) => new(k.Id, k.AccessId, k.Name, k.Prefix, k.Scopes,
        k.IsRevoked ? "revoked" : k.IsExpired(now) ? "expired" : "active",
        k.ExpiresAt, k.RevokedAt, k.LastUsedAt, k.ReplacedById, k.CreatedBy, k.CreatedAt, k.SealedPlaintext is not null);
}

/// <summary>The only answer that carries a key's plaintext: shown once, at creation or rotation.</summary>
public sealed record IssuedApiKey(string Key, ApiKeyView ApiKey);

internal static class ApiKeysApi
{
    public static void MapApiKeys(this RouteGroupBuilder accesses)
    {
        var keys = accesses.MapGroup("/{id:guid}/api-keys").WithTags("API keys");
        keys.MapGet("/", List);
        keys.MapPost("/", Create);
        keys.MapPost("/{keyId:guid}/rotate", Rotate);
        keys.MapDelete("/{keyId:guid}", Revoke);
        keys.MapPost("/{keyId:guid}/reveal", Reveal);
    }

    /// <summary>Shows, once, the plaintext of a key the registry made for the customer (the first key of a Waldur order).</summary>
    private static async Task<Results<Ok<IssuedApiKey>, NotFound>> Reveal(Guid id, Guid keyId, RegistryDb db, AccessLifecycle lifecycle, CancellationToken ct)
    {
        if (await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == keyId && k.AccessId == id, ct) is not { } key) return TypedResults.NotFound();
        var plaintext = lifecycle.Unseal(key) ?? throw new ConflictException("api-key-already-revealed",
            "This key's plaintext was shown once already; rotate it to get a new one.");
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new IssuedApiKey(plaintext, ApiKeyView.Of(key, DateTime.UtcNow)));
    }

    private static async Task<Results<Ok<List<ApiKeyView>>, NotFound>> List(Guid id, RegistryDb db, CancellationToken ct)
    {
        if (!await db.Accesses.AnyAsync(a => a.Id == id, ct)) return TypedResults.NotFound();
        var now = DateTime.UtcNow;
        var keys = await db.ApiKeys.AsNoTracking().Where(k => k.AccessId == id).OrderByDescending(k => k.CreatedAt).ToListAsync(ct);
        return TypedResults.Ok(keys.Select(k => ApiKeyView.Of(k, now)).ToList());
    }

    private static async Task<Results<Created<IssuedApiKey>, NotFound>> Create(Guid id, ApiKeyInput input, RegistryDb db,
        AccessLifecycle lifecycle, CancellationToken ct)
    {
        if (await db.Accesses.FirstOrDefaultAsync(a => a.Id == id, ct) is not { } access) return TypedResults.NotFound();
        var (key, plaintext) = await IssueAsync(access, input, db, lifecycle, ct);
        return TypedResults.Created($"/api/v1/accesses/{id}/api-keys/{key.Id}", new IssuedApiKey(plaintext, ApiKeyView.Of(key, DateTime.UtcNow)));
    }

    /// <summary>Checks scopes and expiry, issues the key and saves; shared with the admin.</summary>
    internal static async Task<(ApiKey Key, string Plaintext)> IssueAsync(AgentAccess access, ApiKeyInput input, RegistryDb db,
        AccessLifecycle lifecycle, CancellationToken ct)
    {
        var scopes = input.Scopes ?? [.. ApiKeyScopes.Default];
        if (scopes.FirstOrDefault(s => !ApiKeyScopes.All.Contains(s)) is { } unknown)
            throw new FieldException("scopes", $"Unknown scope '{unknown}'; use {string.Join(", ", ApiKeyScopes.All)}.");
        if (scopes.Count == 0) throw new FieldException("scopes", "A key needs at least one scope.");
        if (input.ExpiresAt is { } at && at.ToUniversalTime() <= DateTime.UtcNow)
            throw new FieldException("expires_at", "The expiry must be in the future.");
        var issued = lifecycle.Issue(access, input.Name.Trim(), scopes, input.ExpiresAt?.ToUniversalTime());
        await db.SaveChangesAsync(ct);
        return issued;
    }

    private static async Task<Results<Ok<IssuedApiKey>, NotFound>> Rotate(Guid id, Guid keyId, RotateInput? input, RegistryDb db,
        AccessLifecycle lifecycle, ApiKeyCache cache, IOptions<ApiKeyOptions> options, CancellationToken ct)
    {
        if (await db.Accesses.FirstOrDefaultAsync(a => a.Id == id, ct) is not { } access) return TypedResults.NotFound();
        if (await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == keyId && k.AccessId == id, ct) is not { } old) return TypedResults.NotFound();
        var (key, plaintext) = await RotateAsync(access, old, input?.OverlapHours ?? options.Value.RotationOverlapHours, db, lifecycle, cache, ct);
        return TypedResults.Ok(new IssuedApiKey(plaintext, ApiKeyView.Of(key, DateTime.UtcNow)));
    }

    /// <summary>Issues a successor with the same name and scopes; the old key keeps working for the overlap. Shared with the admin.</summary>
    internal static async Task<(ApiKey Key, string Plaintext)> RotateAsync(AgentAccess access, ApiKey old, int overlapHours, RegistryDb db,
        AccessLifecycle lifecycle, ApiKeyCache cache, CancellationToken ct)
    {
        var now = DateTime.UtcNow;
        if (old.IsRevoked || old.IsExpired(now))
            throw new ConflictException("api-key-inactive", "Only an active key can be rotated; create a new key instead.");

        var (key, plaintext) = lifecycle.Issue(access, old.Name, old.Scopes, old.ExpiresAt);
        var overlapEnd = now.AddHours(overlapHours);
        old.ExpiresAt = old.ExpiresAt is { } e && e < overlapEnd ? e : overlapEnd;
        old.ReplacedById = key.Id;
        if (old.ExpiresAt <= now) old.RevokedAt = now;
        await db.SaveChangesAsync(ct);
        cache.Evict(old.Hash);
        return (key, plaintext);
    }

    private static async Task<Results<NoContent, NotFound>> Revoke(Guid id, Guid keyId, RegistryDb db, ApiKeyCache cache, CancellationToken ct)
    {
        if (await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == keyId && k.AccessId == id, ct) is not { } key) return TypedResults.NotFound();
        await RevokeAsync(key, db, cache, ct);
        return TypedResults.NoContent();
    }

    /// <summary>Revokes the key and drops it from this instance's cache at once; shared with the admin.</summary>
    internal static async Task RevokeAsync(ApiKey key, RegistryDb db, ApiKeyCache cache, CancellationToken ct)
    {
        key.RevokedAt ??= DateTime.UtcNow;
        await db.SaveChangesAsync(ct);
        cache.Evict(key.Hash);
    }
}
