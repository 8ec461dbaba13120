using System.Net;
using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;

namespace AgentRegistry.Widget;

/// <summary>The loader script (widget/widget.js, embedded), its version and its SRI hash, computed once from the served bytes.</summary>
public sealed class WidgetLoader
{
    private readonly Infrastructure.PublicAddress _address;

    public byte[] Bytes { get; }
    public string Version { get; }
    public string Integrity { get; }

    public WidgetLoader(Infrastructure.PublicAddress address)
    {
        _address = address;
        using var stream = typeof(WidgetLoader).Assembly.GetManifestResourceStream("AgentRegistry.widget.js")
            ?? throw new InvalidOperationException("The widget loader is not embedded in the assembly.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        Bytes = copy.ToArray();
        Version = Convert.ToHexStringLower(SHA256.HashData(Bytes))[..16];
        Integrity = "sha384-" + Convert.ToBase64String(SHA384.HashData(Bytes));
    }

    public string Snippet(HttpRequest request, string widgetKey) =>
        $"<script src=\"{_address.BaseUrl(request)}/widget.js?v={Version}\" integrity=\"{Integrity}\" crossorigin=\"anonymous\" data-widget-key=\"{widgetKey}\" async></script>";

    /// <summary>Cached for a year when the URL names this version, else briefly; ETag either way.</summary>
    public IResult Serve(HttpContext http)
    {
        var headers = http.Response.Headers;
        var etag = $"\"{Version}\"";
        headers.ETag = etag;
        // The snippet loads the script with crossorigin="anonymous" (needed for SRI), so it must be CORS-readable.
        headers.AccessControlAllowOrigin = "*";
        headers.XContentTypeOptions = "nosniff";
        headers.CacheControl = http.Request.Query["v"] == Version ? "public, max-age=31536000, immutable" : "public, max-age=300";
        if (http.Request.Headers.IfNoneMatch.ToString().Split(',').Any(t => t.Trim() == etag))
            return Results.StatusCode((int)HttpStatusCode.NotModified);
        return Results.Bytes(Bytes, "text/javascript; charset=utf-8");
    }
}
