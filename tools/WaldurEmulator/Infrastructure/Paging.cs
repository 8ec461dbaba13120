using System.Text.Json.Nodes;

namespace WaldurEmulator.Infrastructure;

/// <summary>
/// Waldur's LinkHeaderPagination: bare JSON array, page/page_size (default 10, max 300),
/// X-Result-Count, and a Link header with first/prev/next/last.
/// </summary>
internal static class Paging
{
    public const int DefaultPageSize = 10;
    public const int MaxPageSize = 300;

    public static IResult List<T>(HttpContext context, IReadOnlyList<T> items, Func<T, JsonObject> toJson)
    {
        var query = context.Request.Query;
        var pageSize = PositiveInt(query["page_size"], DefaultPageSize, MaxPageSize);
        var lastPage = Math.Max(1, (items.Count + pageSize - 1) / pageSize);
        var page = query["page"].Count == 0 ? 1 : PositiveInt(query["page"], 0, int.MaxValue);
        if (page < 1 || page > lastPage) throw ApiException.Detail(404, "Invalid page.");

        var fields = query["field"].Where(f => !string.IsNullOrEmpty(f)).Select(f => f!).ToHashSet();
        var body = new JsonArray();
        foreach (var item in items.Skip((page - 1) * pageSize).Take(pageSize))
            body.Add(EmulatorJson.SelectFields(toJson(item), fields));

        var headers = context.Response.Headers;
        headers["X-Result-Count"] = items.Count.ToString();
        headers["Link"] = LinkHeader(context.Request, page, lastPage);
        return Results.Json(body, EmulatorJson.Options);
    }

    private static string LinkHeader(HttpRequest request, int page, int lastPage)
    {
        var links = new List<string> { Link(request, 1, "first") };
        if (page > 1) links.Add(Link(request, page - 1, "prev"));
        if (page < lastPage) links.Add(Link(request, page + 1, "next"));
        links.Add(Link(request, lastPage, "last"));
        return string.Join(", ", links);
    }

    /// <summary>Like DRF: page 1 is the URL without "page"; the other parameters are kept, sorted by name.</summary>
    private static string Link(HttpRequest request, int page, string rel)
    {
        var pairs = request.Query.Where(p => p.Key != "page")
            .Select(p => (p.Key, Values: p.Value.Select(v => v ?? "").ToList())).ToList();
        if (page > 1) pairs.Add(("page", [page.ToString()]));
        var query = string.Join("&", pairs.OrderBy(p => p.Key, StringComparer.Ordinal)
            .SelectMany(p => p.Values.Select(v => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(v)}")));
        var url = $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}{(query.Length > 0 ? "?" + query : "")}";
        return $"<{url}>; rel=\"{rel}\"";
    }

    private static int PositiveInt(string? text, int fallback, int cutoff) =>
        int.TryParse(text, out var value) && value > 0 ? Math.Min(value, cutoff) : fallback;

    public static IResult One(HttpContext context, JsonObject item)
    {
        var fields = context.Request.Query["field"].Where(f => !string.IsNullOrEmpty(f)).Select(f => f!).ToHashSet();
        return Results.Json(EmulatorJson.SelectFields(item, fields), EmulatorJson.Options);
    }
}
