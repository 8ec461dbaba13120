using AgentRegistry.Infrastructure;

namespace AgentRegistry.Catalog;

/// <summary>A catalog entry: an agent the operator sells through Waldur.</summary>
public sealed class Agent : IAudited
{
    public Guid Id { get; init; } = Ids.New();
    public Guid CategoryId { get; set; }
    public AgentCategory? Category { get; set; }
    public required string Name { get; set; }
    public required string Slug { get; set; }
    public string Description { get; set; } = "";
    /// <summary>System instructions used when a customer has not set their own persona.</summary>
    public string DefaultPersona { get; set; } = "";
    public string WelcomeMessage { get; set; } = "";
    /// <summary>"offline" (built-in) or "openai" (any OpenAI-compatible endpoint).</summary>
    public string Provider { get; set; } = "offline";
    public string? Model { get; set; }
    public string? Endpoint { get; set; }
    public bool IsActive { get; set; } = true;
    public Guid? WaldurOfferingUuid { get; set; }
    public string? WaldurOfferingState { get; set; }
    public DateTime? PublishedAt { get; set; }
    [Stamped]
    public DateTime CreatedAt { get; init; }
    public List<AgentPlan> Plans { get; init; } = [];
}
