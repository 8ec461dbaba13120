using AgentRegistry.Catalog;

namespace AgentRegistry.Metering;

/// <summary>
/// The one rule for limits chosen in Waldur: a prepaid (<c>limit</c>) component with a limit in the order is billed by
/// Waldur as <c>limit x price</c> whatever is used, so that limit, not the plan's, is the monthly allowance, and it is
/// hard (nothing beyond what was bought is served).
/// </summary>
public static class PrepaidLimits
{
    public static IReadOnlyList<PlanComponent> Apply(IReadOnlyList<PlanComponent> components, IReadOnlyDictionary<string, decimal>? limits)
    {
        if (limits is null || limits.Count == 0) return components;
        return [.. components.Select(c => c.BillingType == "limit" && limits.TryGetValue(c.Type, out var limit)
            ? new PlanComponent
            {
                Type = c.Type, Name = c.Name, MeasuredUnit = c.MeasuredUnit, BillingType = c.BillingType, Metric = c.Metric,
                UnitSize = c.UnitSize, Price = c.Price, Limit = limit, HardLimit = true,
            }
            : c)];
    }
}
