using AgentRegistry.Infrastructure;

namespace AgentRegistry.Identity;

/// <summary>
/// CSRF protection for the API when a browser's session cookie is what authenticates it (the portal's scripts call the
/// API that way). SameSite=Lax keeps the cookie off cross-site POSTs, but not off same-site ones (a sibling subdomain)
/// nor off older browsers; so an unsafe cookie-authenticated API call must come from the registry's own pages, as the
/// browser reports it: <c>Sec-Fetch-Site</c>, else <c>Origin</c>, else <c>Referer</c>. Browsers send at least one on
/// every unsafe request and scripts cannot forge them; a request with none is not from a browser (curl, an SDK) and
/// cannot carry a victim's cookie by accident. Calls with an Authorization header (API keys, tokens) are not affected,
/// nor are the widget's public routes, which the cookie grants nothing.
/// </summary>
public static class CrossSiteRequests
{
    public static IApplicationBuilder UseCrossSiteRequestGuard(this IApplicationBuilder app)
    {
        var address = app.ApplicationServices.GetRequiredService<PublicAddress>();
        return app.Use(async (http, next) =>
        {
            var request = http.Request;
            if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method)
                || !ApiPaths.IsApi(request.Path) || request.Path.StartsWithSegments("/api/widget")
                || request.Headers.Authorization.Count > 0 || http.User.Identity?.IsAuthenticated != true
                || FromOwnPage(request, address))
            {
                await next(http);
                return;
            }
            await Problems.Result(403, "cross-site-request",
                "A change through the API with a sign-in cookie must come from the registry's own pages; other callers send an API key or token.")
                .ExecuteAsync(http);
        });
    }

    internal static bool FromOwnPage(HttpRequest request, PublicAddress address)
    {
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0) return site is "same-origin" or "none";
        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0) return IsOwn(origin, request, address);
        var referer = request.Headers.Referer.ToString();
        return referer.Length == 0 || IsOwn(referer, request, address);
    }

    /// <summary>The registry's configured public origin, or the host the request was sent to (any scheme: behind a TLS proxy
    /// the request may arrive as http). <c>Origin: null</c> (a sandboxed or privacy-stripped request) is never own.</summary>
    private static bool IsOwn(string url, HttpRequest request, PublicAddress address)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")) return false;
        if (address.Origin is { } configured && string.Equals(uri.GetLeftPart(UriPartial.Authority), configured, StringComparison.OrdinalIgnoreCase))
            return true;
        var authority = uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}";
        return request.Host.HasValue && string.Equals(authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }
}
