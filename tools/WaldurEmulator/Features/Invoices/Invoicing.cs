using WaldurEmulator.Infrastructure;
using WaldurEmulator.State;

namespace WaldurEmulator.Features.Invoices;

/// <summary>One line of a customer's monthly invoice, as Waldur's InvoiceItem holds it.</summary>
internal sealed record InvoiceLine(
    Resource Resource, Plan Plan, OfferingComponent Component, DateTimeOffset Start, DateTimeOffset End, string Unit,
    decimal UnitPrice, decimal Quantity)
{
    /// <summary>InvoiceItem._price: unit price times quantity, rounded up to cents (quantize_price, ROUND_UP).</summary>
    public decimal Price => Invoicing.RoundUp(UnitPrice * Quantity);
}

/// <summary>
/// What Waldur invoices a customer for a month, derived from the resources' plan periods, limits and reported usage,
/// following waldur-mastermind's marketplace/registrators.py and invoices/models.py:
/// <list type="bullet">
/// <item><c>fixed</c>: per plan period in the month, <c>price x amount</c> (the plan quota) times the share of the plan's
/// unit the resource existed (month: 1 for the whole month, else (end - start).days + 1 over the month's days, rounded up
/// to cents; day: full days); billing starts when the Create order completes and a period ends at a plan switch or
/// termination, both days counted in full.</item>
/// <item><c>limit</c> (limit period not <c>total</c>): per plan period, <c>price x</c> the resource's limit; each change of
/// the limit within the period adds the new limit (update_component_item: month units sum the periods' quantities). At
/// termination the last limit period counts its limit times its full days (InvoiceItem.terminate).</item>
/// <item><c>usage</c>: <c>price x</c> the amount reported under each plan period (the price of that period's plan);
/// usage reported when no plan period was in force is not invoiced.</item>
/// </list>
/// A month's invoice closes on the 1st of the next month: usage changed after that does not reach it.
/// </summary>
internal static class Invoicing
{
    public static decimal RoundUp(decimal value) => Math.Ceiling(value * 100m) / 100m;

    public static DateTimeOffset MonthStart(DateOnly month) => new(month.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    /// <summary>Waldur's month_end: the last microsecond of the month.</summary>
    public static DateTimeOffset MonthEnd(DateOnly month) => MonthStart(month).AddMonths(1).AddTicks(-10);

    public static List<InvoiceLine> Lines(EmulatorStore store, string customerUuid, DateOnly month)
    {
        var lines = new List<InvoiceLine>();
        var (start, end) = (MonthStart(month), MonthEnd(month));
        var closedAt = MonthStart(month.AddMonths(1));
        var projects = store.Projects.All.Where(p => p.CustomerUuid == customerUuid).Select(p => p.Uuid).ToHashSet();
        foreach (var resource in store.Resources.All.Where(r => projects.Contains(r.ProjectUuid) && r.BillingStart is not null))
        {
            var offering = store.Offerings.Get(resource.OfferingUuid);
            foreach (var period in resource.PlanPeriods)
            {
                var from = Max(Max(period.Start, resource.BillingStart!.Value), start);
                var to = period.End is { } e && e < end ? e : end;
                if (period.End is { } ended && ended <= start || from > to) continue;
                var plan = store.Plans.Get(period.PlanUuid);
                foreach (var component in offering.Components)
                {
                    if (component.BillingType == "fixed" && (plan.Prices.ContainsKey(component.Type) || plan.Quotas.ContainsKey(component.Type)))
                        lines.Add(new InvoiceLine(resource, plan, component, from, to, plan.Unit,
                            plan.Prices.GetValueOrDefault(component.Type) * plan.Quotas.GetValueOrDefault(component.Type), Quantity(plan.Unit, from, to)));
                    else if (component.BillingType == "limit" && component.LimitPeriod != "total" && plan.Prices.ContainsKey(component.Type)
                             && LimitQuantity(resource, component.Type, from, to, plan.Unit, period.Terminated && period.End <= end) is > 0 and var limit)
                        lines.Add(new InvoiceLine(resource, plan, component, from, to, plan.Unit, plan.Prices[component.Type], limit));
                }
                foreach (var usage in store.Usages.All.Where(u => u.ResourceUuid == resource.Uuid && u.BillingPeriod == month && u.PlanPeriodUuid == period.Uuid))
                {
                    var component = offering.Components.Find(c => c.Type == usage.Type);
                    if (component is not { BillingType: "usage" } || !plan.Prices.TryGetValue(usage.Type, out var price)) continue;
                    var amount = usage.Changes.Where(c => c.At < closedAt).Select(c => c.Amount).LastOrDefault();
                    lines.Add(new InvoiceLine(resource, plan, component, from, to, "quantity", price, amount));
                }
            }
        }
        return lines;
    }

    /// <summary>invoices.models.get_quantity for a fixed component over [start, end] within one month.</summary>
    public static decimal Quantity(string unit, DateTimeOffset start, DateTimeOffset end)
    {
        var days = DateTime.DaysInMonth(start.Year, start.Month);
        return unit switch
        {
            "day" => FullDays(start, end),
            "hour" => (decimal)Math.Ceiling((end - start).TotalHours),
            _ when start.Day == 1 && end.Day == days => 1m,
            _ => RoundUp((decimal)((end - start).Days + 1) / days),
        };
    }

    private static decimal FullDays(DateTimeOffset start, DateTimeOffset end) => (decimal)Math.Ceiling((end - start).TotalDays);

    /// <summary>
    /// The limit in force at <paramref name="from"/> plus every different limit set before <paramref name="to"/>. When the
    /// resource was terminated in the month, Waldur's InvoiceItem.terminate re-totals the last limit period as its limit
    /// times the full days from its start to the termination (utils.get_full_days: whole days, a started day counting in
    /// full) and the item's quantity as the sum of the periods' totals, whatever the plan's unit.
    /// </summary>
    private static decimal LimitQuantity(Resource resource, string type, DateTimeOffset from, DateTimeOffset to, string unit, bool terminated = false)
    {
        var periods = resource.LimitPeriods;
        var first = periods.LastOrDefault(p => p.Start <= from) ?? periods.FirstOrDefault();
        if (first is null) return 0;
        var values = new List<(DateTimeOffset Start, long Value)> { (from, first.Limits.GetValueOrDefault(type)) };
        foreach (var change in periods.Where(p => p.Start > from && p.Start < to))
        {
            var value = change.Limits.GetValueOrDefault(type);
            if (value != values[^1].Value) values.Add((change.Start, value));
        }
        if (terminated && unit != "day")
            return values.SkipLast(1).Where(v => v.Value > 0).Sum(v => (decimal)v.Value) + Math.Max(0, values[^1].Value) * FullDays(values[^1].Start, to);
        if (unit != "day") return values.Where(v => v.Value > 0).Sum(v => (decimal)v.Value);
        return values.Select((v, i) => v.Value <= 0 ? 0 : v.Value * FullDays(v.Start, i + 1 < values.Count ? values[i + 1].Start : to)).Sum();
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
