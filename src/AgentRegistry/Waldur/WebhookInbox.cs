using AgentRegistry.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AgentRegistry.Waldur;

public enum EventOutcome { Processed, Ignored }

/// <summary>Acts on one kind of Waldur event. Throwing means "try again later".</summary>
public interface IWaldurEventHandler
{
    bool Handles(string eventType);
    Task<EventOutcome> HandleAsync(ReceivedEvent e, CancellationToken ct);
}

/// <summary>
/// Processes stored webhook events: claims each with a conditional update (so replicas never process the
/// same event at once), hands it to its handler, and retries failures with exponential backoff.
/// An event claimed by a process that died is claimed again when its lock expires.
/// </summary>
public sealed class WebhookInbox(IServiceScopeFactory scopes, IOptions<InboxOptions> options, TimeProvider clock, ILogger<WebhookInbox> log)
    : BackgroundService
{
    private readonly SemaphoreSlim _wake = new(0, 1);

    public void Wake()
    {
        if (_wake.CurrentCount == 0) try { _wake.Release(); } catch (SemaphoreFullException) { }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await ProcessDueAsync(stoppingToken) > 0) { }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogError(e, "Webhook inbox pass failed");
            }
            try { await _wake.WaitAsync(TimeSpan.FromSeconds(options.Value.PollSeconds), stoppingToken); }
            catch (OperationCanceledException) { break; }
        }
    }

    /// <summary>
    /// Puts a failed (or ignored) event back in the queue as if just received, attempts reset, and wakes the inbox:
    /// the order is re-fetched from Waldur as always, so a replay acts at most once more. False for any other event.
    /// </summary>
    public async Task<bool> ReplayAsync(long id, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using (var scope = scopes.CreateSystemScope("waldur-inbox"))
        {
            var changed = await scope.ServiceProvider.GetRequiredService<RegistryDb>().WebhookEvents
                .Where(e => e.Id == id && (e.Status == WebhookEventStatus.Failed || e.Status == WebhookEventStatus.Ignored))
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.Status, WebhookEventStatus.Pending).SetProperty(e => e.Attempts, 0)
                    .SetProperty(e => e.NextAttemptAt, now).SetProperty(e => e.LockedUntil, (DateTime?)null), ct);
            if (changed == 0) return false;
        }
        log.LogInformation("Webhook event {EventId} was queued again for processing", id);
        Wake();
        return true;
    }

    /// <summary>Processes the events that are due now; returns how many it handled.</summary>
    public async Task<int> ProcessDueAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        List<long> due;
        await using (var scope = scopes.CreateSystemScope("waldur-inbox"))
        {
            var db = scope.ServiceProvider.GetRequiredService<RegistryDb>();
            due = await db.WebhookEvents.AsNoTracking()
                .Where(e => e.Status == WebhookEventStatus.Pending && e.NextAttemptAt <= now && (e.LockedUntil == null || e.LockedUntil < now))
                .OrderBy(e => e.Id).Select(e => e.Id).Take(50).ToListAsync(ct);
        }
        var handled = 0;
        foreach (var id in due)
            if (await ProcessAsync(id, ct)) handled++;
        return handled;
    }

    private async Task<bool> ProcessAsync(long id, CancellationToken ct)
    {
        await using var scope = scopes.CreateSystemScope("waldur");
        var db = scope.ServiceProvider.GetRequiredService<RegistryDb>();
        var now = clock.GetUtcNow().UtcDateTime;
        var claimed = await db.WebhookEvents
            .Where(e => e.Id == id && e.Status == WebhookEventStatus.Pending && (e.LockedUntil == null || e.LockedUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.LockedUntil, now.AddSeconds(options.Value.LockSeconds))
                .SetProperty(e => e.Attempts, e => e.Attempts + 1), ct);
        if (claimed == 0) return false;

        var stored = await db.WebhookEvents.SingleAsync(e => e.Id == id, ct);
        try
        {
            var outcome = EventOutcome.Ignored;
            if (ReceivedEvent.TryParse(System.Text.Encoding.UTF8.GetBytes(stored.Payload), out var parsed, out _))
            {
                var handler = scope.ServiceProvider.GetServices<IWaldurEventHandler>().FirstOrDefault(h => h.Handles(parsed!.EventType));
                if (handler is not null) outcome = await handler.HandleAsync(parsed!, ct);
            }
            stored.Status = outcome == EventOutcome.Processed ? WebhookEventStatus.Processed : WebhookEventStatus.Ignored;
            stored.ProcessedAt = clock.GetUtcNow().UtcDateTime;
            stored.LastError = null;
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            var final = stored.Attempts >= options.Value.MaxAttempts;
            stored.Status = final ? WebhookEventStatus.Failed : WebhookEventStatus.Pending;
            stored.NextAttemptAt = clock.GetUtcNow().UtcDateTime + Backoff(stored.Attempts);
            stored.LastError = e.Message[..Math.Min(e.Message.Length, 2000)];
            log.LogWarning("Webhook event {EventId} ({EventType}) failed on attempt {Attempt}{Final}: {Error}",
                stored.Id, stored.EventType, stored.Attempts, final ? ", giving up" : "", e.Message);
        }
        stored.LockedUntil = null;
        await db.SaveChangesAsync(CancellationToken.None);
        WaldurMetrics.WebhookProcessed(stored.Status switch
        {
            WebhookEventStatus.Processed => "processed", WebhookEventStatus.Ignored => "ignored",
            WebhookEventStatus.Failed => "failed", _ => "retry",
        }, stored.ReceivedAt, clock.GetUtcNow().UtcDateTime);
        return true;
    }

    /// <summary>2, 4, 8 ... seconds, at most ten minutes, with jitter so replicas do not retry in step.</summary>
    public static TimeSpan Backoff(int attempt) =>
        TimeSpan.FromSeconds(Math.Min(600, Math.Pow(2, Math.Min(attempt, 10))) * (0.8 + Random.Shared.NextDouble() * 0.4));
}
