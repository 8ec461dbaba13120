using AgentRegistry.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Waldur;

/// <summary>
/// Group commit (<see cref="GroupCommit{TItem,TResult}"/>) of received webhook deliveries: deliveries arriving together
/// are stored by one multi-row insert in one transaction, and each is acknowledged only once committed. A delivery
/// whose identity (<see cref="WebhookEvent.DedupeKey"/>) is already stored, or comes twice in one batch, is answered as
/// a duplicate with the stored event's id, decided by the database's unique key, not by a read before the write.
/// </summary>
public sealed class WebhookIntake(IServiceScopeFactory scopes, ILogger<WebhookIntake> log) : GroupCommit<WebhookEvent, WebhookReceipt>(MaxBatch, log)
{
    public const int MaxBatch = 512;

    protected override string What => "webhook deliveries";

    protected override async Task<IReadOnlyList<WebhookReceipt>> SaveAsync(IReadOnlyList<WebhookEvent> events)
    {
        await using var scope = scopes.CreateSystemScope("waldur-webhook");
        var db = scope.ServiceProvider.GetRequiredService<RegistryDb>();
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            await using var tx = await db.Database.BeginTransactionAsync(CancellationToken.None);
            var inserted = (await BatchInsert.InsertAsync(db, events, CancellationToken.None, nameof(WebhookEvent.DedupeKey),
                    nameof(WebhookEvent.Id), nameof(WebhookEvent.DedupeKey)))
                .ToDictionary(r => (string)r[1]!, r => (long)r[0]!, StringComparer.Ordinal);
            var missing = events.Select(e => e.DedupeKey).Where(k => !inserted.ContainsKey(k)).Distinct().ToList();
            var stored = missing.Count == 0 ? [] : await db.WebhookEvents.AsNoTracking().Where(e => missing.Contains(e.DedupeKey))
                .ToDictionaryAsync(e => e.DedupeKey, e => e.Id, StringComparer.Ordinal);
            await tx.CommitAsync(CancellationToken.None);
            var answered = new HashSet<string>(StringComparer.Ordinal);
            return (IReadOnlyList<WebhookReceipt>)events.Select(e => inserted.TryGetValue(e.DedupeKey, out var id) && answered.Add(e.DedupeKey)
                    ? new WebhookReceipt(id, e.EventType, Duplicate: false)
                    : new WebhookReceipt(inserted.TryGetValue(e.DedupeKey, out id) ? id : stored.GetValueOrDefault(e.DedupeKey), e.EventType, Duplicate: true))
                .ToList();
        });
    }
}
