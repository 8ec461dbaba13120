using AgentRegistry.Infrastructure;
namespace AgentRegistry.Waldur;

public enum WebhookEventStatus { Pending, Processed, Ignored, Failed }

/// <summary>A Waldur webhook as received (the inbox): stored before it is acknowledged.</summary>
public sealed class WebhookEvent
{
    public long Id { get; init; }
    public required string Endpoint { get; set; }
    public required string EventType { get; set; }
    /// <summary>SHA-256 of the event's identity, so a second delivery is recognised.</summary>
    public required string DedupeKey { get; set; }
    public required string Payload { get; set; }
    [Stamped]
    public DateTime ReceivedAt { get; init; }
    public WebhookEventStatus Status { get; set; } = WebhookEventStatus.Pending;
    public int Attempts { get; set; }
    [Stamped]
    public DateTime NextAttemptAt { get; set; }
    public DateTime? LockedUntil { get; set; }
    public string? LastError { get; set; }
    public DateTime? ProcessedAt { get; set; }
}
