using System.Globalization;
using AgentRegistry.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;

namespace AgentRegistry.Admin;

/// <summary>One column of an admin list: a header, the shown value and an optional link.</summary>
public sealed record Column<T>(string Header, Func<T, object?> Value, Func<T, string?>? Link = null);

public sealed record Cell(string Text, string? Href);

public sealed record FilterOption(string Value, string Text);

/// <summary>A drop-down filter bound to the query string parameter <see cref="Name"/>.</summary>
public sealed record Filter(string Name, string Label, IReadOnlyList<FilterOption> Options, string? Selected);

/// <summary>What the shared <c>_List</c> partial renders: search box, filters, table and pager.</summary>
public sealed record ListView(string Title, string? Search, IReadOnlyList<Filter> Filters, IReadOnlyList<string> Headers,
    IReadOnlyList<Cell[]> Rows, int Page, int PageSize, int Total, string? NewHref, Func<int, string> PageHref)
{
    public int Pages => Math.Max(1, (Total + PageSize - 1) / PageSize);
    public int First => Total == 0 ? 0 : (Page - 1) * PageSize + 1;
    public int Last => Math.Min(Total, Page * PageSize);
}

/// <summary>
/// Base of every admin list page: reads <c>q</c> (search) and <c>p</c> (page) from the query string,
/// pages the entity's query and turns rows into cells. A page states only its query, columns and filters.
/// </summary>
public abstract class AdminListPage<T> : PageModel
{
    public const int PageSize = 25;

    [BindProperty(SupportsGet = true, Name = "q")] public string? Search { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;
    public ListView List { get; private set; } = null!;

    public abstract string Title { get; }
    protected virtual string? NewHref => null;
    /// <summary>The filtered, ordered rows; <paramref name="term"/> is the trimmed, lower-cased search or null.</summary>
    protected abstract IQueryable<T> Query(string? term);
    protected abstract IEnumerable<Column<T>> Columns();
    protected virtual Task<IReadOnlyList<Filter>> FiltersAsync(CancellationToken ct) => Task.FromResult<IReadOnlyList<Filter>>([]);

    public virtual async Task OnGetAsync(CancellationToken ct)
    {
        var term = string.IsNullOrWhiteSpace(Search) ? null : Search.Trim().ToLowerInvariant();
        var page = await Query(term).ToPageAsync(new PageRequest(Math.Max(1, PageNumber), PageSize), r => r, ct);
        var columns = Columns().ToList();
        var rows = page.Items.Select(r => columns.Select(c => new Cell(AdminFormat.Text(c.Value(r)), c.Link?.Invoke(r))).ToArray()).ToList();
        List = new ListView(Title, Search, await FiltersAsync(ct), columns.Select(c => c.Header).ToList(), rows,
            page.Page, PageSize, page.Total, NewHref, PageHref);
    }

    private string PageHref(int page)
    {
        var query = Request.Query.Where(q => q.Key != "p" && !string.IsNullOrEmpty(q.Value))
            .ToDictionary(q => q.Key, q => (string?)q.Value.ToString());
        query["p"] = page.ToString(CultureInfo.InvariantCulture);
        return QueryHelpers.AddQueryString(Request.Path, query);
    }
}

/// <summary>How the admin shows values: UTC times, yes/no, a dash for nothing.</summary>
public static class AdminFormat
{
    public static string Text(object? value) => value switch
    {
        null => "—",
        DateTime d => d.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC",
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        bool b => b ? "yes" : "no",
        Enum e => e.ToString().ToLowerInvariant(),
        string { Length: 0 } => "—",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "—",
    };

    /// <summary>Options for a filter or select built from an enum, values in lower case.</summary>
    public static IReadOnlyList<FilterOption> Options<TEnum>() where TEnum : struct, Enum =>
        Enum.GetValues<TEnum>().Select(v => new FilterOption(v.ToString(), v.ToString().ToLowerInvariant())).ToList();
}
