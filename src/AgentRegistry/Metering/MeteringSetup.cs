namespace AgentRegistry.Metering;

public static class MeteringSetup
{
    public static IServiceCollection AddMetering(this IServiceCollection services)
    {
        services.AddOptions<MeteringOptions>().BindConfiguration(MeteringOptions.Section);
        services.AddSingleton<QuotaTracker>();
        services.AddScoped<UsageIngestion>();
        return services;
    }

    public static IEndpointRouteBuilder MapMetering(this IEndpointRouteBuilder routes)
    {
        routes.MapUsageEvents();
        return routes;
    }
}
