using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;

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
    private static async Task<Results<Ok<IssuedApiKey>, NotFound>> Reveal(Guid id, Guid keyId, ApiKeyService keys, TimeProvider clock, CancellationToken ct) =>
        await keys.RevealAsync(keyId, id, ct) is { } k ? TypedResults.Ok(Issued(k, clock)) : TypedResults.NotFound();

    private static async Task<Results<Ok<List<ApiKeyView>>, NotFound>> List(Guid id, ApiKeyService keys, CancellationToken ct) =>
        await keys.ListAsync(id, ct) is { } list ? TypedResults.Ok(list) : TypedResults.NotFound();

    private static async Task<Results<Created<IssuedApiKey>, NotFound>> Create(Guid id, ApiKeyInput input, ApiKeyService keys, TimeProvider clock,
        CancellationToken ct) =>
        await keys.IssueAsync(id, input, ct) is { } k
            ? TypedResults.Created($"/api/v1/accesses/{id}/api-keys/{k.Key.Id}", Issued(k, clock)) : TypedResults.NotFound();

    private static async Task<Results<Ok<IssuedApiKey>, NotFound>> Rotate(Guid id, Guid keyId, RotateInput? input, ApiKeyService keys,
        TimeProvider clock, CancellationToken ct) =>
        await keys.RotateAsync(keyId, id, input?.OverlapHours, ct) is { } k ? TypedResults.Ok(Issued(k, clock)) : TypedResults.NotFound();

    private static async Task<Results<NoContent, NotFound>> Revoke(Guid id, Guid keyId, ApiKeyService keys, CancellationToken ct) =>
        await keys.RevokeAsync(keyId, id, ct) is not null ? TypedResults.NoContent() : TypedResults.NotFound();

    private static IssuedApiKey Issued(NewApiKey k, TimeProvider clock) => new(k.Plaintext, ApiKeyView.Of(k.Key, clock.GetUtcNow().UtcDateTime));
}
