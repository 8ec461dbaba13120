using System.ComponentModel.DataAnnotations;

namespace AgentRegistry.Widget;

public sealed class WidgetOptions
{
    public const string Section = "Widget";

    /// <summary>
    /// Optional base64 key (at least 32 bytes) that signs visitor tokens with HMAC-SHA256. Unset, tokens are sealed with
    /// ASP.NET Data Protection, whose keys are kept in the database and so shared by all replicas.
    /// </summary>
    public string? TokenSecret { get; set; }
    [Range(1, 24 * 60)] public int TokenMinutes { get; set; } = 60;
    [Range(1, 100_000)] public int MaxMessageChars { get; set; } = 4000;
    [Range(1, 10_000)] public int VisitorMessagesPerMinute { get; set; } = 20;
    [Range(1, 1_000_000)] public int WidgetMessagesPerMinute { get; set; } = 600;
    /// <summary>Visitor tokens handed out per widget per minute, from all addresses.</summary>
    [Range(1, 1_000_000)] public int InitsPerMinute { get; set; } = 1200;
    /// <summary>
    /// How long a replica keeps a widget and its access's standing in memory. A change saved anywhere drops it at once
    /// on this replica (and on every replica with Redis); without Redis, other replicas see it within this time.
    /// </summary>
    [Range(0, 3600)] public int DirectorySeconds { get; set; } = 30;
    /// <summary>Visitor tokens handed out per widget per client address per minute.</summary>
    [Range(1, 1_000_000)] public int InitsPerAddressPerMinute { get; set; } = 60;
}
