using AgentRegistry.Infrastructure;

namespace AgentRegistry.Identity.Tokens;

/// <summary>
/// A person's token for scripts: acts on the REST API as its owner did when it was made (role and tenant), limited to
/// its scopes, until it expires or is revoked. Only the SHA-256 of the token is stored.
/// </summary>
public sealed class PersonalAccessToken : IAudited
{
    public Guid Id { get; init; } = Ids.New();
    public required string Name { get; set; }
    /// <summary>The first characters of the token, safe to show ("ar_pat_AbCd").</summary>
    public required string Prefix { get; set; }
    [Secret]
    public required byte[] Hash { get; set; }
    public List<string> Scopes { get; set; } = [];
    /// <summary>Who the token acts as: the actor recorded in the audit log (an e-mail or an OIDC subject).</summary>
    public required string Owner { get; set; }
    /// <summary>The owner's local account, when they have one: a disabled account stops its tokens.</summary>
    public Guid? AccountId { get; set; }
    public required string Role { get; set; }
    public Guid? TenantId { get; set; }
    public DateTime ExpiresAt { get; set; }
    public DateTime? RevokedAt { get; set; }
    public DateTime? LastUsedAt { get; set; }
    [Stamped]
    public DateTime CreatedAt { get; init; }
}

public static class TokenScopes
{
    /// <summary>GET and HEAD on the API.</summary>
    public const string Read = "api:read";
    /// <summary>Every method on the API (reading included).</summary>
    public const string Write = "api:write";
    public static readonly string[] All = [Read, Write];
}
