using AgentRegistry.Infrastructure;

namespace AgentRegistry.Metering;

/// <summary>
/// One append-only usage fact. Quantities are whole units of the metric (messages, tokens, bytes),
/// so sums are exact on every database; conversion to billed units happens when reporting.
/// </summary>
public sealed class UsageRecord : ITenantOwned
{
    public long Id { get; init; }
    public Guid TenantId { get; set; }
    public Guid AccessId { get; set; }
    public Guid AgentId { get; set; }
    public Guid? ApiKeyId { get; set; }
    public Guid? WidgetId { get; set; }
    public required string Metric { get; set; }
    public long Quantity { get; set; }
    public DateTime OccurredAt { get; set; }
    [Stamped]
    public DateTime RecordedAt { get; init; }
    /// <summary>Unique: re-sending the same event counts once.</summary>
    public required string IdempotencyKey { get; set; }
}

public static class Metrics
{
    public const string Messages = "messages";
    public const string InputTokens = "input_tokens";
    public const string OutputTokens = "output_tokens";
    public const string Documents = "documents";
    public const string StorageBytes = "storage_bytes";
    public static readonly string[] Known = [Messages, InputTokens, OutputTokens, Documents, StorageBytes];
}
