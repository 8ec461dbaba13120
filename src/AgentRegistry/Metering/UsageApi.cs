using AgentRegistry.Infrastructure;

namespace AgentRegistry.Metering;

public sealed record UsageDay(DateOnly Day, string Metric, long Quantity);

public sealed record UsageLimit(string Type, string Name, string Metric, long UnitSize, decimal? Limit, bool HardLimit);

/// <summary>A soft quota threshold (percent of a plan limit) an access crossed in a month.</summary>
public sealed record UsageAlert(Guid AccessId, string Metric, DateOnly Period, int Threshold, long Used, long Limit, DateTime RaisedAt);

public sealed record UsageReport(Guid? AccessId, Guid TenantId, DateOnly From, DateOnly To, string Granularity,
    IReadOnlyList<UsageDay> Days, IReadOnlyDictionary<string, long> Totals, IReadOnlyList<UsageLimit> Limits,
    IReadOnlyList<UsageAlert> Alerts);

internal static class UsageApi
{
    public static void MapUsageApi(this IEndpointRouteBuilder routes)
    {
        // Members reach their own tenant only: the data layer's filter makes other tenants' accesses 404.
        routes.MapGet("/api/v1/accesses/{id:guid}/usage", ForAccess).WithTags("Usage").RequireAuthorization(Policies.Person);
        routes.MapGet("/api/v1/tenants/{id:guid}/usage", ForTenant).WithTags("Usage").RequireAuthorization(Policies.Person);
    }

    private static async Task<IResult> ForAccess(Guid id, DateOnly? from, DateOnly? to, string? granularity, UsageReader usage, CancellationToken ct) =>
        await usage.ForAccessAsync(id, from, to, granularity, ct) is { } report ? TypedResults.Ok(report) : TypedResults.NotFound();

    private static async Task<IResult> ForTenant(Guid id, DateOnly? from, DateOnly? to, string? granularity, UsageReader usage, CancellationToken ct) =>
        await usage.ForTenantAsync(id, from, to, granularity, ct) is { } report ? TypedResults.Ok(report) : TypedResults.NotFound();
}
