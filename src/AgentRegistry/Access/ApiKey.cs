using AgentRegistry.Infrastructure;

namespace AgentRegistry.Access;

/// <summary>A machine credential for one access. Only the SHA-256 of the key is stored.</summary>
public sealed class ApiKey : ITenantOwned, IAudited
{
    public Guid Id { get; init; } = Ids.New();
    public Guid TenantId { get; set; }
    public Guid AccessId { get; set; }
    public AgentAccess? Access { get; set; }
    public required string Name { get; set; }
    /// <summary>The first characters of the key, safe to show ("ar_live_AbCd").</summary>
    public required string Prefix { get; set; }
    [Secret]
    public required byte[] Hash { get; set; }
    public List<string> Scopes { get; set; } = [];
    public DateTime? ExpiresAt { get; set; }
    public DateTime? RevokedAt { get; set; }
    public DateTime? LastUsedAt { get; set; }
    public Guid? ReplacedById { get; set; }
    /// <summary>
    /// Only for a key the registry made on the customer's behalf (the first key of a Waldur order): its
    /// plaintext, encrypted with the data protection keys, until a member reveals it once.
    /// </summary>
    [Secret]
    public string? SealedPlaintext { get; set; }
    public string CreatedBy { get; set; } = "";
    [Stamped]
    public DateTime CreatedAt { get; init; }

    public bool IsRevoked => RevokedAt is not null;
    public bool IsExpired(DateTime now) => ExpiresAt is { } at && at <= now;
}

public static class ApiKeyScopes
{
    public const string Chat = "chat";
    public const string UsageWrite = "usage:write";
    public const string UsageRead = "usage:read";
    public static readonly string[] All = [Chat, UsageWrite, UsageRead];
    public static readonly string[] Default = [Chat];
}
