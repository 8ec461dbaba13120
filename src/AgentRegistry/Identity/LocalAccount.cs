using AgentRegistry.Infrastructure;

namespace AgentRegistry.Identity;

/// <summary>A person who signs in with a password (the embedded default identity).</summary>
public sealed class LocalAccount : IAudited
{
    public Guid Id { get; init; } = Ids.New();
    public required string Email { get; set; }
    public string DisplayName { get; set; } = "";
    [Secret]
    public required string PasswordHash { get; set; }
    public required string Role { get; set; }
    /// <summary>The tenant a member belongs to; null for operators.</summary>
    public Guid? TenantId { get; set; }
    public bool IsDisabled { get; set; }
    /// <summary>
    /// Written into every session at sign-in and compared on each request: a new stamp ends every session of the
    /// account at once (disabled, moved between tenants, new password or role, signed out).
    /// </summary>
    [Secret]
    public string SecurityStamp { get; private set; } = NewStamp();
    [Stamped]
    public DateTime CreatedAt { get; init; }
    public DateTime? LastLoginAt { get; set; }

    /// <summary>Ends every session of the account: the next request of each finds its stamp out of date.</summary>
    public void EndSessions() => SecurityStamp = NewStamp();

    private static string NewStamp() => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
}
