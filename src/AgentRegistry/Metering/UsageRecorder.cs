using AgentRegistry.Infrastructure;

namespace AgentRegistry.Metering;

/// <summary>Who consumed what: the owner of the usage an answered message causes.</summary>
public sealed record UsageSubject(Guid TenantId, Guid AccessId, Guid AgentId, Guid? ApiKeyId, Guid? WidgetId);

/// <summary>
/// The usage of one answered message: stored by the caller in the same transaction as the message (durable before the
/// response completes, or not at all).
/// </summary>
public sealed class UsageRecorder
{
    public IEnumerable<UsageRecord> OfMessage(UsageSubject subject, Guid messageId, long inputTokens, long outputTokens, DateTime occurredAt)
    {
        yield return Record(subject, messageId, Metrics.Messages, 1, occurredAt);
        yield return Record(subject, messageId, Metrics.InputTokens, inputTokens, occurredAt);
        yield return Record(subject, messageId, Metrics.OutputTokens, outputTokens, occurredAt);
    }

    /// <summary>The idempotency key derives from the message, so a retried save can never count a message twice.</summary>
    private static UsageRecord Record(UsageSubject s, Guid messageId, string metric, long quantity, DateTime at) => new()
    {
        TenantId = s.TenantId, AccessId = s.AccessId, AgentId = s.AgentId, ApiKeyId = s.ApiKeyId, WidgetId = s.WidgetId,
        Metric = metric, Quantity = quantity, OccurredAt = at, RecordedAt = at, IdempotencyKey = $"message:{messageId:N}:{metric}",
    };
}
