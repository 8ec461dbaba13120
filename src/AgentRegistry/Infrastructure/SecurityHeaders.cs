
namespace AgentRegistry.Infrastructure;

/// <summary>
/// One header policy for every response, set as the response starts (errors, redirects and static files included):
/// no MIME sniffing, no referrer beyond the registry, never framed, HSTS over https (also when a trusted proxy says the
/// request was https). Pages (portal, admin, sign-in) may run only the registry's own scripts and styles; API answers
/// may run nothing; the widget's preview page may also load the loader from the public address and style the widget.
/// The widget itself runs in the customer's page, under the customer's policy: its loader and API answers need no
/// frame or script grant from the registry.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>Only the registry's own files: no inline scripts, styles or event handlers, no framing.</summary>
    public const string PagePolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "object-src 'none'; base-uri 'self'; frame-ancestors 'none'";
    public const string ApiPolicy = "default-src 'none'; frame-ancestors 'none'";
    public const string Hsts = "max-age=31536000";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app)
    {
        var address = app.ApplicationServices.GetRequiredService<PublicAddress>();
        var loader = address.Origin is { } origin ? $" {origin}" : "";
        // The widget's loader styles its own elements with a style element, as on any customer's page.
        var previewPolicy = $"default-src 'self'; script-src 'self'{loader}; style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; "
            + $"connect-src 'self'{loader}; object-src 'none'; base-uri 'self'; frame-ancestors 'none'";
        return app.Use((http, next) =>
        {
            http.Response.OnStarting(() =>
            {
                var h = http.Response.Headers;
                h.XContentTypeOptions = "nosniff";
                h.XFrameOptions = "DENY";
                h["Referrer-Policy"] = "same-origin";
                h.ContentSecurityPolicy = PolicyOf(http.Request.Path, previewPolicy);
                if (http.Request.IsHttps) h.StrictTransportSecurity = Hsts;
                return Task.CompletedTask;
            });
            return next();
        });
    }

    private static string PolicyOf(PathString path, string previewPolicy) =>
        ApiPaths.IsApi(path) || path.StartsWithSegments("/health") || path.StartsWithSegments("/metrics")
            || path.StartsWithSegments("/openapi") || path.StartsWithSegments("/widget.js") ? ApiPolicy
        : path.StartsWithSegments("/widget") ? previewPolicy
        : PagePolicy;
}
