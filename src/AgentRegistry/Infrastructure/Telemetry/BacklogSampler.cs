using Microsoft.Extensions.Options;

namespace AgentRegistry.Infrastructure.Telemetry;

/// <summary>A queue kept in the database whose length and age a gauge shows (the webhook inbox, the document pipeline).</summary>
public interface IBacklogProbe
{
    Task SampleAsync(IServiceProvider scoped, DateTime now, CancellationToken ct);
}

/// <summary>
/// Measures every <see cref="IBacklogProbe"/> on a timer, so that a scrape reads remembered values and never waits for
/// the database. Each replica measures the same shared queues; dashboards take the maximum across replicas.
/// </summary>
internal sealed class BacklogSampler(IEnumerable<IBacklogProbe> probes, IServiceScopeFactory scopes, IOptions<TelemetryOptions> options,
    TimeProvider clock, IHostApplicationLifetime lifetime, ILogger<BacklogSampler> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        // After every hosted service started: the start-up migrations have made the tables.
        var started = new TaskCompletionSource();
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        using (stop.Register(() => started.TrySetCanceled()))
        {
            try { await started.Task; }
            catch (OperationCanceledException) { return; }
        }
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.BacklogSampleSeconds), clock);
        do
        {
            foreach (var probe in probes)
            {
                try
                {
                    await using var scope = scopes.CreateSystemScope("telemetry");
                    await probe.SampleAsync(scope.ServiceProvider, clock.GetUtcNow().UtcDateTime, stop);
                }
                catch (Exception e) when (!stop.IsCancellationRequested)
                {
                    log.LogDebug(e, "Backlog sample of {Probe} failed; the gauges keep their last values", probe.GetType().Name);
                }
            }
        }
        while (await WaitAsync(timer, stop));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stop)
    {
        try { return await timer.WaitForNextTickAsync(stop); }
        catch (OperationCanceledException) { return false; }
    }
}
