namespace AgentRegistry.Waldur.Client;

public sealed partial class WaldurClient
{
    private sealed record PlanBody(string Name, string? Description, string Unit, string? UnitPrice)
    {
        public static PlanBody From(PlanRequest plan) =>
            new(plan.Name, plan.Description, plan.Unit, plan.UnitPrice is { } price ? WaldurJson.Price(price) : null);
    }

    private sealed record NewPlanBody(string Name, string? Description, string Unit, string? UnitPrice, string Offering);
    private sealed record PricesBody(IReadOnlyDictionary<string, string> Prices);
    private sealed record QuotasBody(IReadOnlyDictionary<string, long> Quotas);

    /// <summary>Adds a plan to an offering. Not retried.</summary>
    public Task<WaldurPlan> CreatePlanAsync(Guid offeringUuid, PlanRequest plan, CancellationToken ct = default)
    {
        var body = PlanBody.From(plan);
        return SendAsync<WaldurPlan>(HttpMethod.Post, "marketplace-plans/", new NewPlanBody(body.Name, body.Description, body.Unit,
            body.UnitPrice, Link("marketplace-provider-offerings", offeringUuid)), repeatable: false, ct);
    }

    public Task<WaldurPlan> GetPlanAsync(Guid planUuid, CancellationToken ct = default) =>
        GetAsync<WaldurPlan>($"marketplace-plans/{Hex(planUuid)}/", ct);

    public Task<IReadOnlyList<WaldurPlan>> ListPlansAsync(Guid offeringUuid, CancellationToken ct = default) =>
        ListAsync<WaldurPlan>("marketplace-plans/", WaldurQuery.Empty.With("offering_uuid", Hex(offeringUuid)), ct);

    /// <summary>Unit prices by component type; sent as decimal strings with at most 10 decimals.</summary>
    public Task UpdatePlanPricesAsync(Guid planUuid, IDictionary<string, decimal> prices, CancellationToken ct = default) =>
        PlanActionAsync(planUuid, "update_prices", new PricesBody(prices.ToDictionary(p => p.Key, p => WaldurJson.Price(p.Value))), ct);

    /// <summary>Amounts included in the plan for fixed components, by component type.</summary>
    public Task UpdatePlanQuotasAsync(Guid planUuid, IReadOnlyDictionary<string, long> quotas, CancellationToken ct = default) =>
        PlanActionAsync(planUuid, "update_quotas", new QuotasBody(quotas), ct);

    private Task PlanActionAsync(Guid planUuid, string action, object body, CancellationToken ct) =>
        SendAndForgetAsync(HttpMethod.Post, $"marketplace-plans/{Hex(planUuid)}/{action}/", body, repeatable: true, ct);
}
