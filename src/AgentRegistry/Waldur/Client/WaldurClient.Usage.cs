using System.Globalization;

namespace AgentRegistry.Waldur.Client;

public sealed partial class WaldurClient
{
    private sealed record UsageBody(Guid Resource, IReadOnlyList<UsageItemBody> Usages, string? Date);
    private sealed record UsageItemBody(string Type, string Amount, string? Description);

    /// <summary>
    /// Reports cumulative amounts for the billing period (calendar month, UTC) of <paramref name="date"/>, default the
    /// current one. Each call replaces the stored value per component, so repeating it is safe and it is retried.
    /// Amounts are sent with exactly two decimals.
    /// </summary>
    public Task SetUsageAsync(Guid resourceUuid, IReadOnlyList<ComponentUsageReport> usages, DateOnly? date = null, CancellationToken ct = default) =>
        SendAndForgetAsync(HttpMethod.Post, "marketplace-component-usages/set_usage/", new UsageBody(resourceUuid,
            [.. usages.Select(u => new UsageItemBody(u.Type, WaldurJson.Amount(u.Amount), u.Description))],
            date is { } day ? day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "T00:00:00Z" : null), repeatable: true, ct);

    /// <summary>
    /// Reports cumulative amounts dated <paramref name="date"/>: Waldur files them under the billing period (UTC month)
    /// and the resource's plan period in force at that moment.
    /// </summary>
    public Task SetUsageAsync(Guid resourceUuid, IReadOnlyList<ComponentUsageReport> usages, DateTimeOffset date, CancellationToken ct = default) =>
        SendAndForgetAsync(HttpMethod.Post, "marketplace-component-usages/set_usage/", new UsageBody(resourceUuid,
            [.. usages.Select(u => new UsageItemBody(u.Type, WaldurJson.Amount(u.Amount), u.Description))],
            date.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture)), repeatable: true, ct);

    /// <summary>Stored usages of a resource in the billing period containing <paramref name="billingPeriod"/>.</summary>
    public Task<IReadOnlyList<WaldurComponentUsage>> ListComponentUsagesAsync(Guid resourceUuid, DateOnly billingPeriod, CancellationToken ct = default) =>
        ListAsync<WaldurComponentUsage>("marketplace-component-usages/", WaldurQuery.Empty
            .With("resource_uuid", Hex(resourceUuid))
            .With("billing_period", new DateOnly(billingPeriod.Year, billingPeriod.Month, 1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), ct);
}
