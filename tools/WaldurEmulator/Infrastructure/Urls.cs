namespace WaldurEmulator.Infrastructure;

/// <summary>Absolute hyperlinks built from the request's host, as DRF's HyperlinkedRelatedField builds them.</summary>
internal sealed class Urls(string baseUrl)
{
    public string Base { get; } = baseUrl.TrimEnd('/');

    public static Urls From(HttpRequest request) => new($"{request.Scheme}://{request.Host}");

    public string Of(string collection, string uuid) => $"{Base}/api/{collection}/{uuid}/";

    public string Customer(string uuid) => Of("customers", uuid);
    public string Project(string uuid) => Of("projects", uuid);
    public string User(string uuid) => Of("users", uuid);
    public string Category(string uuid) => Of("marketplace-categories", uuid);
    public string ServiceProvider(string uuid) => Of("marketplace-service-providers", uuid);
    public string Offering(string uuid) => Of("marketplace-provider-offerings", uuid);
    public string PublicOffering(string uuid) => Of("marketplace-public-offerings", uuid);
    public string Plan(string uuid) => Of("marketplace-plans", uuid);
    public string Order(string uuid) => Of("marketplace-orders", uuid);
    public string Resource(string uuid) => Of("marketplace-resources", uuid);
    public string Hook(string uuid) => Of("hooks-web", uuid);

    /// <summary>Reads the UUID out of a hyperlink to one of the given collections.</summary>
    public static string UuidFrom(string field, string? url, params string[] collections)
    {
        if (string.IsNullOrWhiteSpace(url)) throw ApiException.Required(field);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
            throw ApiException.Field(field, "Invalid hyperlink - No URL match.");
        var segments = uri.AbsolutePath.Trim('/').Split('/');
        if (segments.Length == 3 && segments[0] == "api" && collections.Contains(segments[1])
            && Hex.Normalize(segments[2]) is { } uuid)
            return uuid;
        throw ApiException.Field(field, "Invalid hyperlink - No URL match.");
    }
}
