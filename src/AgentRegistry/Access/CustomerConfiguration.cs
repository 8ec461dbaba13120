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
    public List<string> SuggestedQuestions { get; set; } = [];
    public string? FallbackAnswer { get; set; }
    /// <summary>short, medium or long.</summary>
    public string? AnswerLength { get; set; }
    public bool? CitationsEnabled { get; set; }
    /// <summary>Subjects the agent keeps to; empty means any subject its documents cover.</summary>
    public List<string> AllowedTopics { get; set; } = [];
    public int Version { get; set; } = 1;
    public string UpdatedBy { get; set; } = "";
    [Stamped]
    public DateTime UpdatedAt { get; set; }
}

/// <summary>One saved version of a persona: what it was, who saved it, when. Rolling back saves an old version anew.</summary>
public sealed class ConfigurationVersion : ITenantOwned
{
    public long Id { get; init; }
    public Guid TenantId { get; set; }
    public Guid AccessId { get; set; }
    public int Version { get; set; }
    /// <summary>The <see cref="ConfigurationInput"/> as saved, in JSON.</summary>
    public required string Snapshot { get; set; }
    public required string ChangedBy { get; set; }
    [Stamped]
    public DateTime ChangedAt { get; set; }
}
