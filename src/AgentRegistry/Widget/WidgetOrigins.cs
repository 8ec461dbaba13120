namespace AgentRegistry.Widget;

/// <summary>Allowed origins: exact (<c>https://shop.example.com</c>) or any subdomain (<c>https://*.example.com</c>).</summary>
public static class WidgetOrigins
{
    /// <summary>The origin in canonical form (lower case, default port dropped), or null if it is not an http(s) origin.</summary>
    public static string? Normalize(string value)
    {
        var wildcard = value.Contains("://*.", StringComparison.Ordinal);
        var probe = wildcard ? value.Replace("://*.", "://wildcard.", StringComparison.Ordinal) : value;
        if (!Uri.TryCreate(probe, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")) return null;
        if (uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0) return null;
        var host = uri.IdnHost.ToLowerInvariant();
        if (wildcard) host = "*." + host["wildcard.".Length..];
        return uri.IsDefaultPort ? $"{uri.Scheme}://{host}" : $"{uri.Scheme}://{host}:{uri.Port}";
    }

    public static bool Allows(IEnumerable<string> allowed, string? origin)
    {
        if (origin is null || Normalize(origin) is not { } o || o.Contains('*')) return false;
        foreach (var pattern in allowed)
        {
            if (pattern == o) return true;
            var star = pattern.IndexOf("://*.", StringComparison.Ordinal);
            if (star < 0) continue;
            var scheme = pattern[..(star + 3)];
            var suffix = pattern[(star + 4)..]; // ".example.com[:port]"
            if (o.StartsWith(scheme, StringComparison.Ordinal) && o.EndsWith(suffix, StringComparison.Ordinal)
                && o.Length > scheme.Length + suffix.Length && !o[scheme.Length..^suffix.Length].Contains(':'))
                return true;
        }
        return false;
    }
}
