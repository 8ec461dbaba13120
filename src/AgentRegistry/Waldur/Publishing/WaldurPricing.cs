using System.Globalization;
using AgentRegistry.Catalog;
using AgentRegistry.Infrastructure;
using AgentRegistry.Metering;
using AgentRegistry.Waldur.Client;

namespace AgentRegistry.Waldur.Publishing;

/// <summary>
/// How plans are priced in Waldur, which invoices only through components (marketplace/registrators.py): the plan fee
/// (<see cref="AgentPlan.UnitPrice"/>) becomes a <c>fixed</c> component <see cref="FeeType"/> with the fee as its price
/// and a quota of 1, since Waldur bills <c>price x quota</c> for the days of the period and never bills a plan's own
/// unit_price; every other component is priced with its plan's price, fixed components get their limit (default 1) as
/// quota. One offering component serves every plan, so its measured unit comes from its unit size and all plans must
/// agree on it.
/// </summary>
public static class WaldurPricing
{
    public const string FeeType = "plan_fee";

    /// <summary>One offering component per component type used by any plan, plus the plan fee when a plan has one.</summary>
    public static List<OfferingComponentRequest> Components(IReadOnlyList<AgentPlan> plans)
    {
        var list = new List<OfferingComponentRequest>();
        if (plans.Any(p => p.UnitPrice != 0))
            list.Add(new OfferingComponentRequest(FeeType, "Plan fee", WaldurBillingType.Fixed, plans[0].Unit, "The plan's fee per " + plans[0].Unit + "."));
        foreach (var group in plans.SelectMany(p => p.Components).GroupBy(c => c.Type))
        {
            if (group.Key == FeeType) throw new ConflictException("component-type-reserved", $"The component type '{FeeType}' is the plan fee's; rename the component.");
            var sizes = group.Select(c => c.UnitSize).Distinct().ToList();
            var billing = group.Select(c => c.BillingType).Distinct().ToList();
            if (sizes.Count > 1 || billing.Count > 1)
                throw new ConflictException("component-differs-between-plans",
                    $"The plans bill the component '{group.Key}' differently (unit size or billing type); one Waldur component serves every plan, so give them the same or use another type.");
            var c = group.First();
            var limits = group.Where(x => x.Limit is not null).Select(x => (long)Math.Ceiling(x.Limit!.Value)).ToList();
            list.Add(new OfferingComponentRequest(c.Type, c.Name, c.BillingType, MeasuredUnit(c),
                LimitPeriod: c.BillingType is "limit" or "usage" ? "month" : null,
                MinValue: c.BillingType == WaldurBillingType.Limit ? 0 : null,
                DefaultLimit: c.BillingType == WaldurBillingType.Limit && limits.Count > 0 ? limits.Max() : null));
        }
        return list;
    }

    /// <summary>The unit Waldur shows beside amounts: the metric, per <see cref="PlanComponent.UnitSize"/> when above 1.</summary>
    public static string MeasuredUnit(PlanComponent c)
    {
        var metric = QuotaTracker.MetricOf(c);
        if (metric.Length == 0) return c.MeasuredUnit is { Length: > 0 } u ? u : c.Name;
        var words = metric.Replace('_', ' ');
        return c.UnitSize <= 1 ? words : $"{c.UnitSize.ToString("N0", CultureInfo.InvariantCulture)} {words}";
    }

    /// <summary>The plan's prices per component type, the fee included.</summary>
    public static Dictionary<string, decimal> Prices(AgentPlan plan, IEnumerable<OfferingComponentRequest> components)
    {
        var prices = plan.Components.ToDictionary(c => c.Type, c => c.Price);
        if (components.Any(c => c.Type == FeeType)) prices[FeeType] = plan.UnitPrice;
        return prices;
    }

    /// <summary>The plan's quotas of fixed components: 1 plan fee, a fixed component's limit (default 1).</summary>
    public static Dictionary<string, long> Quotas(AgentPlan plan, IEnumerable<OfferingComponentRequest> components)
    {
        var quotas = plan.Components.Where(c => c.BillingType == WaldurBillingType.Fixed)
            .ToDictionary(c => c.Type, c => c.Limit is { } l ? (long)Math.Ceiling(l) : 1L);
        if (components.Any(c => c.Type == FeeType)) quotas[FeeType] = 1;
        return quotas;
    }
}
