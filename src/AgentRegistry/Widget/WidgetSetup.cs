using System.Globalization;
using System.Threading.RateLimiting;
using AgentRegistry.Infrastructure;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace AgentRegistry.Widget;

public static class WidgetSetup
{
    public static IServiceCollection AddWidgets(this IServiceCollection services)
    {
        services.AddOptions<WidgetOptions>().BindConfiguration(WidgetOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<WidgetLoader>();
        services.AddSingleton<VisitorTokens>();
        services.AddScoped<WidgetService>();
        services.AddRateLimiter(o =>
        {
            // Widget messages are limited per visitor and per widget (both must grant); other routes are not limited here.
            o.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                Limiter((http, key) => WidgetPublicApi.BearerVisitor(http) is { } v ? $"{key}|{v.VisitorId}" : null,
                    w => w.VisitorMessagesPerMinute),
                Limiter((_, key) => key, w => w.WidgetMessagesPerMinute));
            o.OnRejected = async (context, ct) =>
            {
                var http = context.HttpContext;
                var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retry) ? Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds)) : 60;
                http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                http.Response.StatusCode = 429;
                await Problems.Result(429, "rate-limited", $"Too many messages; try again in {seconds} s.",
                    extensions: new Dictionary<string, object?> { ["retry_after"] = seconds }).ExecuteAsync(http);
            };
        });
        return services;
    }

    private static PartitionedRateLimiter<HttpContext> Limiter(Func<HttpContext, string, string?> partition, Func<WidgetOptions, int> permits) =>
        PartitionedRateLimiter.Create<HttpContext, string>(http =>
            MessageWidgetKey(http.Request) is { } key && partition(http, key) is { } p
                ? RateLimitPartition.GetFixedWindowLimiter(p, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = permits(http.RequestServices.GetRequiredService<IOptions<WidgetOptions>>().Value),
                    Window = TimeSpan.FromMinutes(1), QueueLimit = 0,
                })
                : RateLimitPartition.GetNoLimiter(""));

    /// <summary>The widget key of <c>POST /api/widget/v1/{key}/messages</c>, else null.</summary>
    private static string? MessageWidgetKey(HttpRequest request) =>
        HttpMethods.IsPost(request.Method) && request.Path.StartsWithSegments("/api/widget/v1", out var rest)
            && rest.Value is { } r && r.Split('/') is ["", var key, "messages"] ? key : null;

    /// <summary>Per-widget CORS on the public widget routes; before the rate limiter, so its refusals carry the grant.</summary>
    public static IApplicationBuilder UseWidgets(this IApplicationBuilder app) => app.UseWidgetCors();

    public static IEndpointRouteBuilder MapWidgetPublic(this IEndpointRouteBuilder routes)
    {
        WidgetPublicApi.Map(routes);
        return routes;
    }
}
