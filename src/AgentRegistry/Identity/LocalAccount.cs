using AgentRegistry.Infrastructure;

namespace AgentRegistry.Identity;

public static class Roles
{
    public const string Operator = "operator";
    public const string Member = "member";
}

/// <summary>A person who signs in with a password (the embedded default identity).</summary>
public sealed class LocalAccount : IAudited
{
    public Guid Id { get; init; } = Ids.New();
    public required string Email { get; set; }
    public string DisplayName { get; set; } = "";
    public required string PasswordHash { get; set; }
    public required string Role { get; set; }
    /// <summary>The tenant a member belongs to; null for operators.</summary>
    public Guid? TenantId { get; set; }
    public bool IsDisabled { get; set; }
    public DateTime CreatedAt { get; init; } = DateTime.UtcNow;
    public DateTime? LastLoginAt { get; set; }
}
