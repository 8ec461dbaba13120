using AgentRegistry.Infrastructure.RateLimiting;
using AgentRegistry.Infrastructure.Telemetry;
using AgentRegistry.Infrastructure.Scheduling;
using AgentRegistry.Waldur.Client;
using AgentRegistry.Waldur.Provisioning;
using AgentRegistry.Waldur.Publishing;
using AgentRegistry.Waldur.Reporting;
using Microsoft.Extensions.Options;

namespace AgentRegistry.Waldur;

public static class WaldurSetup
{
    public static IServiceCollection AddWaldurIntegration(this IServiceCollection services, IConfiguration config)
    {
        services.AddMetricSeries(WaldurMetrics.ZeroSeries);
        services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<InboxOptions>().BindConfiguration(InboxOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<MarketplaceOptions>().BindConfiguration(MarketplaceOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<WebhookGuard>();
        services.AddRateLimitPolicy(RateLimitPolicies.Webhooks, (sp, limits) =>
        {
            var o = sp.GetRequiredService<IOptionsMonitor<WebhookOptions>>();
            return limits.AllOf(http => ["webhooks:" + RateLimits.Address(http)], () => o.CurrentValue.PerAddressPerMinute);
        });
        services.AddSingleton<WebhookIntake>();
        services.AddHostedService(sp => sp.GetRequiredService<WebhookIntake>());
        services.AddSingleton<WebhookInbox>();
        services.AddHostedService(sp => sp.GetRequiredService<WebhookInbox>());
        services.AddSingleton<Infrastructure.Telemetry.IBacklogProbe, InboxBacklog>();

        services.AddWaldurClient(config);
        services.AddSingleton<WaldurLinks>();
        services.AddSingleton<WaldurHealthCheck>();
        services.AddHealthChecks()
            .AddCheck<WaldurHealthCheck>("waldur", tags: ["dependencies"])
            .AddCheck<WebhookInboxHealthCheck>("webhook-inbox", tags: ["dependencies"])
            .AddCheck<PastPeriodReportsHealthCheck>("past-period-reports", tags: ["dependencies"])
            .AddCheck<WebhookProtectionHealthCheck>("webhook-protection", tags: ["dependencies"]);
        services.AddScoped<TenantMirror>();
        services.AddScoped<OrderProcessor>();
        services.AddScoped<OfferingPublisher>();
        services.AddScoped<WebhookConfigurator>();
        services.AddScoped<UsageReconciliation>();
        services.AddScoped<InvoiceReconciliation>();
        services.AddSingleton<OrderPoll>();
        services.AddScheduledWork<OrderPoll>("waldur-order-poll", sp => sp.GetRequiredService<IOptions<WaldurOptions>>().Value.Enabled
            ? TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<MarketplaceOptions>>().Value.PollSeconds)
            : TimeSpan.Zero);
        services.AddUsageReporting();
        // Without Waldur nothing can be re-fetched, so events are stored and left ignored.
        if (config.GetSection(WaldurOptions.Section).Get<WaldurOptions>()?.Enabled == true)
        {
            services.AddScoped<IWaldurEventHandler, OrderEvents>();
            services.AddScoped<IWaldurEventHandler, CustomerEvents>();
            services.AddScoped<IWaldurEventHandler, ProjectEvents>();
        }
        return services;
    }

    public static IEndpointRouteBuilder MapWaldur(this IEndpointRouteBuilder routes)
    {
        WebhookProtectionHealthCheck.Announce(routes.ServiceProvider);
        return routes.MapWaldurWebhooks().MapPublishing();
    }
}
