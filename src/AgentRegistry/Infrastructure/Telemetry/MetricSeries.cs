namespace AgentRegistry.Infrastructure.Telemetry;

/// <summary>A feature's series to create at zero once metrics are collected (a measurement before that is not kept).</summary>
public sealed record MetricSeries(Action Zero);

public static class MetricSeriesSetup
{
    public static IServiceCollection AddMetricSeries(this IServiceCollection services, Action zero) =>
        services.AddSingleton(new MetricSeries(zero));
}

/// <summary>
/// Starts after OpenTelemetry's own hosted service (registered right after it), when the meter listener runs: then a
/// ratio such as failures / total has both series from the first scrape, and an alert on it is never "no data".
/// </summary>
internal sealed class MetricSeriesStarter(IEnumerable<MetricSeries> series) : IHostedService
{
    public Task StartAsync(CancellationToken ct)
    {
        foreach (var s in series) s.Zero();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
