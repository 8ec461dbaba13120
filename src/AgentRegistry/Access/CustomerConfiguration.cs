using AgentRegistry.Infrastructure;

namespace AgentRegistry.Access;

/// <summary>A customer's persona overrides for one access; empty fields fall back to the agent's defaults.</summary>
public sealed class CustomerConfiguration : ITenantOwned, IAudited
{
    public Guid Id { get; init; } = Ids.New();
    public Guid TenantId { get; set; }
    public Guid AccessId { get; set; }
    public string? DisplayName { get; set; }
    public string? SystemInstructions { get; set; }
    public string? Tone { get; set; }
    public string? WelcomeMessage { get; set; }
    public string? FallbackAnswer { get; set; }
    public int Version { get; set; } = 1;
    public string UpdatedBy { get; set; } = "";
    public DateTime UpdatedAt { get; set; } = DateTime.UtcNow;
}
