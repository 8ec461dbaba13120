using AgentRegistry.Infrastructure;

namespace AgentRegistry.Metering;

/// <summary>Who consumed what: the owner of the usage an answered message causes.</summary>
public sealed record UsageSubject(Guid TenantId, Guid AccessId, Guid AgentId, Guid? ApiKeyId, Guid? WidgetId);

/// <summary>
/// Records the usage of one answered message. Adds to the caller's unit of work rather than saving, so the records are
/// stored in the same SaveChanges as the message (durable before the response completes, or not at all).
/// </summary>
public sealed class UsageRecorder
{
    public void AddMessage(RegistryDb db, UsageSubject subject, Guid messageId, long inputTokens, long outputTokens, DateTime occurredAt)
    {
        Add(db, subject, messageId, Metrics.Messages, 1, occurredAt);
        Add(db, subject, messageId, Metrics.InputTokens, inputTokens, occurredAt);
        Add(db, subject, messageId, Metrics.OutputTokens, outputTokens, occurredAt);
    }

    /// <summary>The idempotency key derives from the message, so a retried save can never count a message twice.</summary>
    private static void Add(RegistryDb db, UsageSubject s, Guid messageId, string metric, long quantity, DateTime at) =>
        db.UsageRecords.Add(new UsageRecord
        {
            TenantId = s.TenantId, AccessId = s.AccessId, AgentId = s.AgentId, ApiKeyId = s.ApiKeyId, WidgetId = s.WidgetId,
            Metric = metric, Quantity = quantity, OccurredAt = at, IdempotencyKey = $"message:{messageId:N}:{metric}",
        });
}
