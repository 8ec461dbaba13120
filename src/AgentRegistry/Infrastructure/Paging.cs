using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Infrastructure;

public sealed record Paged<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total);

public sealed record PageRequest(
    [property: Range(1, 100_000)] int Page = 1,
    [property: FromQuery(Name = "page_size"), Range(1, 200)] int PageSize = 50);

public static class PagingExtensions
{
    public static async Task<Paged<TOut>> ToPageAsync<TIn, TOut>(this IQueryable<TIn> query, PageRequest page,
        Func<TIn, TOut> map, CancellationToken ct)
    {
        var total = await query.CountAsync(ct);
        var rows = await query.Skip((page.Page - 1) * page.PageSize).Take(page.PageSize).ToListAsync(ct);
        return new Paged<TOut>(rows.Select(map).ToList(), page.Page, page.PageSize, total);
    }
}

public static class Slugs
{
    public const string Pattern = "^[a-z0-9]+(?:-[a-z0-9]+)*$";
    public const string Message = "Use lowercase letters, digits and single hyphens, e.g. support-bot.";
}
