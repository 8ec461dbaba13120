namespace AgentRegistry.Waldur.Client;

/// <summary>Waldur writes UUIDs as 32 lowercase hex characters; the registry uses <see cref="Guid"/>.</summary>
public static class WaldurUuid
{
    public static string ToHex(Guid uuid) => uuid.ToString("N");

    /// <summary>Reads hex with or without dashes (Waldur accepts both, and so do we).</summary>
    public static Guid Parse(string text) =>
        TryParse(text, out var uuid) ? uuid : throw new FormatException($"'{text}' is not a Waldur UUID.");

    public static bool TryParse(string? text, out Guid uuid)
    {
        uuid = Guid.Empty;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var trimmed = text.Trim();
        return Guid.TryParseExact(trimmed, "N", out uuid) || Guid.TryParseExact(trimmed, "D", out uuid);
    }

    /// <summary>The UUID at the end of a Waldur hyperlink such as <c>https://host/api/customers/&lt;hex&gt;/</c>.</summary>
    public static Guid? FromUrl(string? url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)) return null;
        var last = uri.AbsolutePath.TrimEnd('/').Split('/')[^1];
        return TryParse(last, out var uuid) ? uuid : null;
    }
}
