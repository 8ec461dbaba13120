using System.Text.Json.Nodes;
using WaldurEmulator.Infrastructure;
using WaldurEmulator.State;

namespace WaldurEmulator.Features.Plans;

internal sealed record PlanComponentJson(
    string Type, string Name, string MeasuredUnit, long Amount, string Price, string? FuturePrice,
    long? DiscountThreshold, long? DiscountRate);

internal sealed record PlanJson(
    string Url, string Uuid, string Name, string Description, string ArticleCode, long? MaxAmount, bool Archived,
    bool IsActive, string UnitPrice, string Unit, decimal InitPrice, decimal SwitchPrice, string BackendId,
    IReadOnlyList<object> OrganizationGroups, IReadOnlyList<PlanComponentJson> Components,
    Dictionary<string, decimal> Prices, Dictionary<string, decimal> FuturePrices, Dictionary<string, decimal> Quotas,
    int ResourcesCount, string PlanType, decimal MinimalPrice);

/// <summary>Plans as BaseProviderPlan (inside offerings) and ProviderPlanDetails (/api/marketplace-plans/).</summary>
internal static class PlanJsonMapper
{
    public static JsonObject Base(EmulatorStore store, Urls urls, Plan p)
    {
        var offering = store.Offerings.Get(p.OfferingUuid);
        var components = offering.Components.Select(c => new PlanComponentJson(c.Type, c.Name, c.MeasuredUnit,
            p.Quotas.GetValueOrDefault(c.Type), Decimals.Price(p.Prices.GetValueOrDefault(c.Type)), null, null, null)).ToList();
        var fixedCost = offering.Components.Where(c => c.BillingType == "fixed")
            .Sum(c => p.Prices.GetValueOrDefault(c.Type) * p.Quotas.GetValueOrDefault(c.Type));
        return EmulatorJson.ToObject(new PlanJson(urls.Plan(p.Uuid), p.Uuid, p.Name, p.Description, p.ArticleCode,
            p.MaxAmount, p.Archived, !p.Archived, Decimals.Price(p.UnitPrice), p.Unit, 0, 0, p.BackendId, [], components,
            offering.Components.ToDictionary(c => c.Type, c => Decimals.Trim(p.Prices.GetValueOrDefault(c.Type))),
            [],
            offering.Components.ToDictionary(c => c.Type, c => (decimal)p.Quotas.GetValueOrDefault(c.Type)),
            store.Resources.All.Count(r => r.PlanUuid == p.Uuid && r.State != ResourceStates.Terminated),
            PlanType(offering), Decimals.Trim(p.UnitPrice + fixedCost)));
    }

    public static JsonObject Details(EmulatorStore store, Urls urls, Plan p)
    {
        var json = Base(store, urls, p);
        json["offering"] = urls.Offering(p.OfferingUuid);
        return json;
    }

    private static string PlanType(Offering o)
    {
        var types = o.Components.Select(c => c.BillingType).Distinct().ToList();
        return types.Count switch { 0 => "fixed", 1 => types[0], _ => "mixed" };
    }
}
