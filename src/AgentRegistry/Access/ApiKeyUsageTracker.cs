using System.Collections.Concurrent;
using AgentRegistry.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Access;

/// <summary>Remembers when each key was last used and writes it in batches, off the request path.</summary>
public sealed class ApiKeyUsageTracker(IServiceScopeFactory scopes, TimeProvider clock, ILogger<ApiKeyUsageTracker> log)
    : BackgroundService
{
    private ConcurrentDictionary<Guid, DateTime> _pending = new();

    public void Touch(Guid keyId) => _pending[keyId] = clock.GetUtcNow().UtcDateTime;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(15), clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken)) await FlushAsync(stoppingToken);
        }
        catch (OperationCanceledException) { }
        await FlushAsync(CancellationToken.None);
    }

    public async Task FlushAsync(CancellationToken ct)
    {
        if (_pending.IsEmpty) return;
        var batch = Interlocked.Exchange(ref _pending, new ConcurrentDictionary<Guid, DateTime>());
        try
        {
            await using var scope = scopes.CreateSystemScope();
            var db = scope.ServiceProvider.GetRequiredService<RegistryDb>();
            foreach (var (id, at) in batch)
                await db.ApiKeys.Where(k => k.Id == id && (k.LastUsedAt == null || k.LastUsedAt < at))
                    .ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, at), ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning(e, "Could not record last use of {Count} API keys", batch.Count);
        }
    }
}
