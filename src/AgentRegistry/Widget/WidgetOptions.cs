using System.ComponentModel.DataAnnotations;

namespace AgentRegistry.Widget;

public sealed class WidgetOptions
{
    public const string Section = "Widget";

    /// <summary>Base64 key (at least 32 bytes) that signs visitor tokens; set it when several replicas serve widgets.</summary>
    public string? TokenSecret { get; set; }
    [Range(1, 24 * 60)] public int TokenMinutes { get; set; } = 60;
    [Range(1, 100_000)] public int MaxMessageChars { get; set; } = 4000;
    [Range(1, 10_000)] public int VisitorMessagesPerMinute { get; set; } = 20;
    [Range(1, 1_000_000)] public int WidgetMessagesPerMinute { get; set; } = 600;
}
