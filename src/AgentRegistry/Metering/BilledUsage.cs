using AgentRegistry.Catalog;

namespace AgentRegistry.Metering;

/// <summary>
/// The one place raw usage becomes a billed amount: raw whole units of a component's metric divided by its
/// <see cref="PlanComponent.UnitSize"/>, rounded half away from zero to the two decimals Waldur stores. Applied to
/// month-to-date totals only (never summed from rounded parts), so what is reported, what reconciliation expects and
/// what the portal shows are the same number.
/// </summary>
public static class BilledUsage
{
    public static decimal Amount(long rawQuantity, long unitSize) =>
        Math.Round((decimal)rawQuantity / Math.Max(1, unitSize), 2, MidpointRounding.AwayFromZero);

    public static decimal Amount(long rawQuantity, PlanComponent component) => Amount(rawQuantity, component.UnitSize);

    /// <summary>Components Waldur takes usage for (billing type usage or limit) that count a known metric.</summary>
    public static IEnumerable<PlanComponent> Reportable(IEnumerable<PlanComponent> components) =>
        components.Where(c => c.BillingType is "usage" or "limit" && QuotaTracker.MetricOf(c).Length > 0);
}
