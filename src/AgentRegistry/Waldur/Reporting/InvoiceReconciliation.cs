using AgentRegistry.Access;
using AgentRegistry.Catalog;
using AgentRegistry.Infrastructure;
using AgentRegistry.Metering;
using AgentRegistry.Waldur.Client;
using AgentRegistry.Waldur.Publishing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AgentRegistry.Waldur.Reporting;

/// <summary>What differs, in money, between what Waldur will invoice for a line and what the registry expects.</summary>
public enum InvoiceCheck
{
    Match,
    /// <summary>The registry holds no plan period for a part of the month Waldur bills, or Waldur's plan in force is another.</summary>
    NoPlanPeriod,
    /// <summary>A fixed component (the plan fee) has no quota in Waldur's plan, so Waldur bills it 0.</summary>
    FixedQuotaMissing,
    /// <summary>A fixed component's price or quota in Waldur's plan differs from the registry's plan.</summary>
    FixedPriceDiffers,
    /// <summary>A usage or limit component's price in Waldur's plan differs from the registry's plan.</summary>
    PriceDiffers,
    /// <summary>The resource's limit of a prepaid component in Waldur differs from the access's.</summary>
    LimitDiffers,
    /// <summary>There is usage in the plan period but Waldur holds none for the component.</summary>
    UsageMissing,
    /// <summary>Waldur holds another amount of usage for the plan period than the registry measured.</summary>
    UsageDiffers,
    /// <summary>Waldur could not be read; nothing was compared.</summary>
    WaldurUnreachable,
}

/// <summary>One invoice line (plan period x component) as the registry expects it and as Waldur's data bills it.</summary>
public sealed record InvoiceLineCheck(string Plan, int PlanVersion, string ComponentType, string BillingType, DateTime From, DateTime To,
    decimal Expected, decimal? Waldur, InvoiceCheck Status, string? Note = null);

/// <summary>An access (a Waldur resource) and month: the expected and Waldur's totals, each kind of difference found, and the lines.</summary>
public sealed record InvoiceReconciliationResult(Guid TenantId, Guid AccessId, string Access, Guid ResourceUuid, DateOnly Month,
    decimal Expected, decimal? Waldur, IReadOnlyList<InvoiceCheck> Statuses, IReadOnlyList<InvoiceLineCheck> Lines)
{
    public bool IsDifference => Statuses.Any(s => s != InvoiceCheck.Match);
}

/// <summary>
/// Reconciliation in money: per access and UTC month, what Waldur will invoice, computed with Waldur's rules
/// (<see cref="WaldurInvoiceRules"/>) from what Waldur holds (its plan periods, its plans' prices and quotas, the
/// resource's limits, the usage stored per plan period), beside what the registry expects from its own plan periods,
/// plans (the version in force), the access's limits and the measured usage. The subset of Waldur's API the registry
/// uses has no invoices, so Waldur's side is recomputed from those; the emulator's invoices prove both sides follow
/// the same rules. Waldur being unreachable never throws.
/// </summary>
public sealed class InvoiceReconciliation(RegistryDb db, WaldurClient waldur, IOptions<WaldurOptions> options, ILogger<InvoiceReconciliation> log)
{
    private sealed record WaldurSide(IReadOnlyList<WaldurPlanPeriod> Periods, Dictionary<Guid, WaldurPlan> Plans,
        IReadOnlyDictionary<string, decimal> Limits, IReadOnlyList<WaldurComponentUsage> Usages);

    public async Task<IReadOnlyList<InvoiceReconciliationResult>> ReconcileAsync(DateOnly month, Guid? accessId, CancellationToken ct)
    {
        month = new DateOnly(month.Year, month.Month, 1);
        var from = month.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var to = from.AddMonths(1);
        var accesses = await db.Accesses.AsNoTracking()
            .Where(a => a.WaldurResourceUuid != null && (accessId == null || a.Id == accessId))
            .Where(a => a.CreatedAt < to && (a.TerminatedAt == null || a.TerminatedAt >= from)
                || db.Set<AccessPlanPeriod>().Any(p => p.AccessId == a.Id && p.From < to && (p.To == null || p.To > from)))
            .OrderBy(a => a.Tenant!.Name).ThenBy(a => a.Name).ThenBy(a => a.Id)
            .Select(a => new { a.Id, a.TenantId, a.Name, Agent = a.Agent!.Name, Resource = a.WaldurResourceUuid!.Value, a.Limits, a.AgentId, a.State })
            .ToListAsync(ct);
        var periods = await AccessPlanPeriods.OverlappingAsync(db, [.. accesses.Select(a => a.Id)], from, to, ct);
        var results = new List<InvoiceReconciliationResult>();
        string? unreachable = options.Value.Enabled ? null : "The Waldur integration is off: set Waldur:ApiUrl and Waldur:Token.";
        foreach (var a in accesses)
        {
            var lines = new List<InvoiceLineCheck>();
            var mine = periods[a.Id].ToList();
            var fee = await db.Plans.AsNoTracking().AnyAsync(p => p.AgentId == a.AgentId && p.UnitPrice != 0, ct);
            WaldurSide? held = null;
            if (unreachable is null)
            {
                try { held = await ReadAsync(a.Resource, month, mine, ct); }
                catch (WaldurApiException e)
                {
                    log.LogWarning("Invoice reconciliation could not read resource {Resource} from Waldur: {Error}", a.Resource, e.Message);
                    if (e.StatusCode is null) unreachable = $"Not read: Waldur was unreachable for an earlier resource ({e.Message}).";
                    lines.Add(new InvoiceLineCheck("", 0, "", "", from, to, 0m, null, InvoiceCheck.WaldurUnreachable, e.Message));
                }
            }
            else lines.Add(new InvoiceLineCheck("", 0, "", "", from, to, 0m, null, InvoiceCheck.WaldurUnreachable, unreachable));

            if (held is not null)
            {
                if (mine.Count == 0)
                    lines.Add(new InvoiceLineCheck("", 0, "", "", from, to, 0m, null, InvoiceCheck.NoPlanPeriod,
                        "The registry holds no plan period of this access in the month."));
                foreach (var period in mine)
                {
                    // The subscription's last period, ended by its termination within the month.
                    var terminated = a.State == AccessState.Terminated && period == mine[^1] && period.To < to;
                    lines.AddRange(await PeriodAsync(a.Id, a.Limits, fee, period, terminated, held, from, to, ct));
                }
            }
            var statuses = lines.Select(l => l.Status).Where(s => s != InvoiceCheck.Match).Distinct().Order().ToList();
            if (statuses.Count == 0) statuses.Add(InvoiceCheck.Match);
            var waldurTotal = held is null ? (decimal?)null : lines.Sum(l => l.Waldur ?? 0m);
            results.Add(new InvoiceReconciliationResult(a.TenantId, a.Id, a.Name.Length > 0 ? a.Name : a.Agent, a.Resource, month,
                lines.Sum(l => l.Expected), waldurTotal, statuses, lines));
        }
        return results;
    }

    private async Task<WaldurSide> ReadAsync(Guid resource, DateOnly month, List<AccessPlanPeriod> mine, CancellationToken ct)
    {
        var periods = await waldur.ListPlanPeriodsAsync(resource, ct);
        var plans = new Dictionary<Guid, WaldurPlan>();
        foreach (var uuid in mine.Select(p => p.Plan!.WaldurPlanUuid).Concat(periods.Select(p => p.PlanUuid)).OfType<Guid>().Distinct())
            plans[uuid] = await waldur.GetPlanAsync(uuid, ct);
        var limits = (await waldur.GetResourceAsync(resource, ct)).Limits ?? new Dictionary<string, decimal>();
        return new WaldurSide(periods, plans, limits, await waldur.ListComponentUsagesAsync(resource, month, ct));
    }

    /// <summary>The lines of one registry plan period within the month, each compared with Waldur's.</summary>
    private async Task<List<InvoiceLineCheck>> PeriodAsync(Guid accessId, Dictionary<string, decimal> accessLimits, bool agentHasFee,
        AccessPlanPeriod period, bool terminated, WaldurSide held, DateTime monthStart, DateTime monthEnd, CancellationToken ct)
    {
        var plan = period.Plan!;
        var start = period.From > monthStart ? period.From : monthStart;
        var end = period.To is { } t && t < monthEnd ? t : monthEnd;
        var lines = new List<InvoiceLineCheck>();
        InvoiceLineCheck Line(string type, string billing, decimal expected, decimal? inWaldur, InvoiceCheck status, string? note = null) =>
            new(plan.Name, plan.Version, type, billing, start, end, expected, inWaldur, status, note);

        // Waldur's plan period for this one: same plan, overlapping. Waldur lists only active and future periods, so a
        // past period missing from its list is taken with the registry's dates.
        var theirs = held.Periods.Where(p => p.PlanUuid == plan.WaldurPlanUuid && p.Start is { } s && s.UtcDateTime < end && (p.End is not { } e || e.UtcDateTime > start))
            .MinBy(p => p.Start);
        var other = held.Periods.FirstOrDefault(p => p.PlanUuid != plan.WaldurPlanUuid && p.Start is { } s && s.UtcDateTime <= start && (p.End is not { } e || e.UtcDateTime > start));
        if (plan.WaldurPlanUuid is not { } planUuid || !held.Plans.TryGetValue(planUuid, out var waldurPlan) || theirs is null && other is not null)
        {
            lines.Add(Line("", "", 0m, null, InvoiceCheck.NoPlanPeriod, plan.WaldurPlanUuid is null
                ? "The plan is not published to Waldur." : $"Waldur's plan in force is {other?.PlanName ?? "another"}."));
            return lines;
        }
        var (waldurStart, waldurEnd) = theirs is null ? (start, end)
            : (Later(theirs.Start!.Value.UtcDateTime, monthStart), theirs.End is { } te && te.UtcDateTime < monthEnd ? te.UtcDateTime : monthEnd);
        var prices = waldurPlan.Prices ?? new Dictionary<string, decimal>();
        var quotas = waldurPlan.Quotas ?? new Dictionary<string, decimal>();
        var unit = waldurPlan.Unit ?? "month";

        // Fixed components: the plan fee (quota 1) and fixed plan components (quota = limit, default 1), for the days in force.
        var fixedLines = plan.Components.Where(c => c.BillingType == WaldurBillingType.Fixed)
            .Select(c => (c.Type, Price: c.Price, Quota: c.Limit is { } l ? Math.Ceiling(l) : 1m)).ToList();
        if (agentHasFee) fixedLines.Insert(0, (WaldurPricing.FeeType, plan.UnitPrice, 1m));
        foreach (var (type, price, quota) in fixedLines)
        {
            var expected = WaldurInvoiceRules.Fixed(price * quota, plan.Unit, start, end);
            var theirPrice = prices.GetValueOrDefault(type);
            var theirQuota = quotas.GetValueOrDefault(type);
            var billed = WaldurInvoiceRules.Fixed(theirPrice * theirQuota, unit, waldurStart, waldurEnd);
            var status = billed == expected ? InvoiceCheck.Match
                : theirQuota == 0 && quota != 0 ? InvoiceCheck.FixedQuotaMissing
                : theirPrice != price || theirQuota != quota ? InvoiceCheck.FixedPriceDiffers
                : InvoiceCheck.NoPlanPeriod;
            lines.Add(Line(type, WaldurBillingType.Fixed, expected, billed, status,
                status == InvoiceCheck.NoPlanPeriod ? $"Waldur's plan period runs {waldurStart:yyyy-MM-dd} to {waldurEnd:yyyy-MM-dd}." : null));
        }

        // Prepaid components: price x the limit, per plan period (a monthly limit is not pro rata), except that Waldur
        // re-totals the item at termination as the limit times the full days of its last period.
        foreach (var c in plan.Components.Where(c => c.BillingType == WaldurBillingType.Limit))
        {
            var limit = accessLimits.TryGetValue(c.Type, out var chosen) ? chosen : c.Limit ?? 0m;
            var theirLimit = held.Limits.GetValueOrDefault(c.Type);
            var theirPrice = prices.GetValueOrDefault(c.Type);
            var days = terminated ? WaldurInvoiceRules.FullDays(start, end) : 1m;
            var theirDays = terminated ? WaldurInvoiceRules.FullDays(waldurStart, waldurEnd) : 1m;
            var expected = WaldurInvoiceRules.RoundUp(c.Price * limit * days);
            var billed = WaldurInvoiceRules.RoundUp(theirPrice * theirLimit * theirDays);
            var status = billed == expected ? InvoiceCheck.Match : theirPrice != c.Price ? InvoiceCheck.PriceDiffers : InvoiceCheck.LimitDiffers;
            lines.Add(Line(c.Type, WaldurBillingType.Limit, expected, billed, status,
                status == InvoiceCheck.Match ? null : $"Registry: {limit} at {c.Price}; Waldur: {theirLimit} at {theirPrice}."));
        }

        // Usage components: price x the usage measured in the period, against the usage Waldur files under its plan period.
        foreach (var c in plan.Components.Where(c => c.BillingType == WaldurBillingType.Usage))
        {
            var metric = QuotaTracker.MetricOf(c);
            var sum = await db.UsageRecords.AsNoTracking()
                .Where(u => u.AccessId == accessId && u.Metric == metric && u.OccurredAt >= start && u.OccurredAt < end)
                .SumAsync(u => (double?)u.Quantity, ct);
            var amount = BilledUsage.Amount(UsageTotals.Of(sum), c);
            var stored = held.Usages.Where(u => u.Type == c.Type && u.Date is { } d && d.UtcDateTime >= waldurStart && d.UtcDateTime < waldurEnd).ToList();
            var theirAmount = stored.Sum(u => u.Usage);
            var theirPrice = prices.GetValueOrDefault(c.Type);
            var expected = WaldurInvoiceRules.RoundUp(c.Price * amount);
            var billed = WaldurInvoiceRules.RoundUp(theirPrice * theirAmount);
            var status = billed == expected ? InvoiceCheck.Match
                : theirPrice != c.Price ? InvoiceCheck.PriceDiffers
                : stored.Count == 0 ? InvoiceCheck.UsageMissing
                : InvoiceCheck.UsageDiffers;
            lines.Add(Line(c.Type, WaldurBillingType.Usage, expected, billed, status,
                status == InvoiceCheck.Match ? null : $"Registry: {amount} at {c.Price}; Waldur: {theirAmount} at {theirPrice}."));
        }
        return lines;
    }

    private static DateTime Later(DateTime a, DateTime b) => a > b ? a : b;
}

/// <summary>
/// How Waldur prices invoice items (waldur-mastermind invoices/models.py): <c>get_quantity</c> for a fixed component's
/// share of its plan's unit, and every price rounded up to cents (<c>quantize_price</c>, ROUND_UP).
/// </summary>
public static class WaldurInvoiceRules
{
    public static decimal RoundUp(decimal value) => Math.Ceiling(value * 100m) / 100m;

    /// <summary>A fixed item: unit price (price x quota) times the quantity over [start, end) within one month.</summary>
    public static decimal Fixed(decimal unitPrice, string unit, DateTime start, DateTime end) =>
        unitPrice == 0 || end <= start ? 0m : RoundUp(unitPrice * Quantity(unit, start, end.AddTicks(-10)));

    /// <summary>utils.get_full_days: whole days between two times, a started day counting in full.</summary>
    public static decimal FullDays(DateTime start, DateTime end) => (decimal)Math.Ceiling((end - start).TotalDays);

    /// <summary>get_quantity: month unit 1 for the whole month, else (end - start).days + 1 over the month's days, rounded up.</summary>
    public static decimal Quantity(string unit, DateTime start, DateTime end)
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
}
