using AgentRegistry.Catalog;
using AgentRegistry.Metering;

namespace AgentRegistry.Portal;

/// <summary>One plan component's use this month against its limit, in billed units, with the highest quota alert raised.</summary>
public sealed record Meter(string Name, string Unit, string Metric, long Raw, decimal Used, decimal? Limit, bool HardLimit, int? Alert)
{
    public int? Percent => Limit is > 0 ? (int)Math.Min(999, Math.Floor(Used * 100 / Limit.Value)) : null;

    /// <summary>The plan's components that count a metric, with a usage report's totals and alerts.</summary>
    public static List<Meter> Of(IEnumerable<PlanComponent> components, UsageReport report) => components
        .Where(c => QuotaTracker.MetricOf(c).Length > 0)
        .Select(c =>
        {
            var metric = QuotaTracker.MetricOf(c);
            var raw = report.Totals.GetValueOrDefault(metric);
            var alert = report.Alerts.Where(a => a.Metric == metric && a.AccessId == report.AccessId).Select(a => (int?)a.Threshold).Max();
            return new Meter(c.Name, c.MeasuredUnit, metric, raw, BilledUsage.Amount(raw, c.UnitSize), c.Limit, c.HardLimit, alert);
        }).ToList();
}
