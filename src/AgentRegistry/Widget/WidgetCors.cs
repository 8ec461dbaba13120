using AgentRegistry.Infrastructure;

namespace AgentRegistry.Widget;

/// <summary>
/// CORS for the widget's public API, answered per widget: every answer to an origin on the widget's allowlist carries
/// the grant, errors included (rate limit, too-long message, expired token, quota), so the loader can read them and
/// tell the visitor why. The grant is added as the response starts, so answers written by the rate limiter or the
/// exception handler (which clears headers) carry it too. Other origins get no grant at all.
/// </summary>
internal static class WidgetCors
{
    public static IApplicationBuilder UseWidgetCors(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (WidgetKey(http.Request) is { } key)
        {
            var origin = WidgetPublicApi.Origin(http.Request);
            var granted = origin is not null
                && await WidgetPublicApi.FindAsync(http, http.RequestServices.GetRequiredService<RegistryDb>(), key, http.RequestAborted) is { } widget
                && WidgetOrigins.Allows(widget.AllowedOrigins, origin);
            http.Response.OnStarting(() =>
            {
                var headers = http.Response.Headers;
                headers.Vary = "Origin";
                if (granted)
                {
                    headers.AccessControlAllowOrigin = origin;
                    headers.AccessControlExposeHeaders = "Retry-After";
                }
                return Task.CompletedTask;
            });
        }
        await next(http);
    });

    /// <summary>The key of a <c>/api/widget/v1/{key}/…</c> request, else null.</summary>
    internal static string? WidgetKey(HttpRequest request) =>
        request.Path.StartsWithSegments("/api/widget/v1", out var rest) && rest.Value is { } r && r.Split('/', 3) is ["", { Length: > 0 } key, ..]
            ? key : null;
}
