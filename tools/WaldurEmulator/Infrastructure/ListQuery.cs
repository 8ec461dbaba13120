namespace WaldurEmulator.Infrastructure;

/// <summary>Reads django-filter style query parameters; unknown parameters are ignored, as in Waldur.</summary>
internal sealed class ListQuery(IQueryCollection query)
{
    public static ListQuery From(HttpContext context) => new(context.Request.Query);

    public string? Text(string name) => query[name].LastOrDefault(v => !string.IsNullOrEmpty(v));

    public IReadOnlyList<string> All(string name) =>
        query[name].SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)).ToList();

    public string? Uuid(string name) => Text(name) is { } text
        ? Hex.Normalize(text) ?? throw ApiException.Field(name, "Enter a valid UUID.")
        : null;

    public IReadOnlyList<string> Uuids(string name) =>
        All(name).Select(v => Hex.Normalize(v) ?? throw ApiException.Field(name, "Enter a valid UUID.")).ToList();

    public bool? Bool(string name) => Text(name)?.ToLowerInvariant() switch
    {
        null => null,
        "true" or "1" or "yes" => true,
        "false" or "0" or "no" => false,
        _ => throw ApiException.Field(name, "Enter a valid boolean."),
    };
}

internal static class FilterExtensions
{
    /// <summary>Applies the predicate only when the filter value was given.</summary>
    public static IEnumerable<T> When<T, TValue>(this IEnumerable<T> items, TValue? value, Func<T, TValue, bool> predicate) =>
        value is null ? items : items.Where(i => predicate(i, value));

    public static IEnumerable<T> WhenAny<T>(this IEnumerable<T> items, IReadOnlyList<string> values, Func<T, string> field) =>
        values.Count == 0 ? items : items.Where(i => values.Contains(field(i)));

    public static bool Has(this string value, string part) => value.Contains(part, StringComparison.OrdinalIgnoreCase);
}
