using AgentRegistry.Infrastructure;

namespace AgentRegistry.Chat;

/// <summary>A thread of messages with one access's agent, started through an API key or a widget.</summary>
public sealed class Conversation : ITenantOwned
{
    public Guid Id { get; init; } = Ids.New();
    public Guid TenantId { get; set; }
    public Guid AccessId { get; set; }
    public Guid? ApiKeyId { get; set; }
    public Guid? WidgetId { get; set; }
    /// <summary>The widget visitor who started it; only they can read it back.</summary>
    public string? VisitorId { get; set; }
    public string Title { get; set; } = "";
    [Stamped] public DateTime CreatedAt { get; init; }
    [Stamped] public DateTime UpdatedAt { get; set; }
}

public static class MessageRoles
{
    public const string User = "user";
    public const string Assistant = "assistant";
}

public sealed class Message : ITenantOwned
{
    public Guid Id { get; init; } = Ids.New();
    public Guid TenantId { get; set; }
    public Guid ConversationId { get; set; }
    public required string Role { get; set; }
    public required string Content { get; set; }
    public int InputTokens { get; set; }
    public int OutputTokens { get; set; }
    /// <summary>JSON array of citations (number, title, document id); null for user messages.</summary>
    public string? CitationsJson { get; set; }
    [Stamped] public DateTime CreatedAt { get; init; }
}
