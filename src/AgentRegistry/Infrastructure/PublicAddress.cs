namespace AgentRegistry.Infrastructure;

/// <summary>
/// The registry's address as the world reaches it, for what it hands out (embed snippets, SDK base URLs) and for telling
/// its own pages' requests from foreign ones. From <c>Registry:PublicUrl</c>, never from a request's Host header, which
/// whoever sends the request chooses. Unset (local development), the request's own scheme and host stand in.
/// </summary>
public sealed class PublicAddress
{
    public const string Setting = "Registry:PublicUrl";
    private readonly string? _configured;

    public PublicAddress(IConfiguration config)
    {
        var url = config[Setting];
        if (string.IsNullOrWhiteSpace(url)) return;
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Query.Length > 0)
            throw new InvalidOperationException($"{Setting} must be an absolute http(s) URL such as https://agents.example.com, not '{url}'.");
        _configured = uri.GetLeftPart(UriPartial.Path).TrimEnd('/');
        Origin = uri.GetLeftPart(UriPartial.Authority);
    }

    /// <summary>The configured origin (scheme, host and port), or null when none is configured.</summary>
    public string? Origin { get; }

    /// <summary>The base URL to hand out: the configured one, else the request's.</summary>
    public string BaseUrl(HttpRequest request) => _configured ?? $"{request.Scheme}://{request.Host}{request.PathBase}";
}
