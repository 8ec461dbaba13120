using AgentRegistry.Infrastructure;
using AgentRegistry.Infrastructure.Telemetry;
using AgentRegistry.Infrastructure.RateLimiting;
using Microsoft.Extensions.Options;

namespace AgentRegistry.Widget;

public static class WidgetSetup
{
    public static IServiceCollection AddWidgets(this IServiceCollection services)
    {
        services.AddMetricSeries(WidgetMetrics.ZeroSeries);
        services.AddOptions<WidgetOptions>().BindConfiguration(WidgetOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<WidgetLoader>();
        services.AddSingleton<VisitorTokens>();
        services.AddSingleton<WidgetDirectory>();
        services.AddSingleton<IForgetsChanges>(sp => sp.GetRequiredService<WidgetDirectory>());
        services.AddScoped<WidgetService>();
        services.AddScoped<Access.IAccessTermination>(sp => sp.GetRequiredService<WidgetService>());
        services.AddScoped<Chat.IWidgetNames>(sp => sp.GetRequiredService<WidgetService>());
        services.AddSingleton<IdentitySecrets>();
        // Messages: per visitor and per widget; a request with no valid token is counted per client address instead.
        services.AddRateLimitPolicy(RateLimitPolicies.WidgetMessages, (sp, limits) =>
        {
            var o = sp.GetRequiredService<IOptionsMonitor<WidgetOptions>>();
            return limits.AllOf(http => WidgetKey(http) is { } key
                    ? [$"widget-visitor:{key}|{WidgetPublicApi.BearerVisitor(http)?.VisitorId ?? "address:" + RateLimits.Address(http)}", $"widget:{key}"]
                    : null,
                () => o.CurrentValue.VisitorMessagesPerMinute, () => o.CurrentValue.WidgetMessagesPerMinute);
        });
        // Init hands out visitor tokens: limited per widget and per client address, so a new token cannot reset a visitor's limit.
        services.AddRateLimitPolicy(RateLimitPolicies.WidgetInit, (sp, limits) =>
        {
            var o = sp.GetRequiredService<IOptionsMonitor<WidgetOptions>>();
            return limits.AllOf(http => WidgetKey(http) is { } key ? [$"widget-init:{key}", $"widget-init-address:{key}|{RateLimits.Address(http)}"] : null,
                () => o.CurrentValue.InitsPerMinute, () => o.CurrentValue.InitsPerAddressPerMinute);
        });
        return services;
    }

    /// <summary>The widget key routing matched (any spelling of the path), bounded so a made-up key cannot grow a partition name.</summary>
    private static string? WidgetKey(HttpContext http) => http.GetRouteValue("widgetKey") is string { Length: > 0 and <= 64 } key ? key : null;

    /// <summary>Per-widget CORS on the public widget routes; before the rate limiter, so its refusals carry the grant.</summary>
    public static IApplicationBuilder UseWidgets(this IApplicationBuilder app) => app.UseWidgetCors();

    public static IEndpointRouteBuilder MapWidgetPublic(this IEndpointRouteBuilder routes)
    {
        WidgetPublicApi.Map(routes);
        return routes;
    }
}
