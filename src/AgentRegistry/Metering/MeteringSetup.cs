using AgentRegistry.Infrastructure.Telemetry;
using AgentRegistry.Infrastructure;
using AgentRegistry.Infrastructure.Scheduling;

namespace AgentRegistry.Metering;

public static class MeteringSetup
{
    public static IServiceCollection AddMetering(this IServiceCollection services)
    {
        services.AddMetricSeries(MeteringMetrics.ZeroSeries);
        services.AddOptions<MeteringOptions>().BindConfiguration(MeteringOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<QuotaTracker>();
        services.AddSingleton<IForgetsChanges>(sp => sp.GetRequiredService<QuotaTracker>());
        services.AddScoped<UsageIngestion>();
        services.AddScoped<UsageAggregator>();
        services.AddScoped<UsageReader>();
        services.AddScheduledWork<UsageAggregationJob, MeteringOptions>("metering", o => o.AggregateSeconds);
        return services;
    }

    public static IEndpointRouteBuilder MapMetering(this IEndpointRouteBuilder routes)
    {
        routes.MapUsageEvents();
        routes.MapUsageApi();
        return routes;
    }
}
