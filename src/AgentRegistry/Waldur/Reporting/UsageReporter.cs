using AgentRegistry.Access;
using AgentRegistry.Catalog;
using AgentRegistry.Infrastructure;
using AgentRegistry.Metering;
using AgentRegistry.Waldur.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AgentRegistry.Waldur.Reporting;

/// <summary>
/// What a reporting pass did, counted in components: sent and accepted, skipped (unchanged, waiting for a retry, or
/// rejected before with the same amount), rejected, failed, and refused because they would lower a reported value.
/// <see cref="Busy"/>: another replica holds the reporting lease, so this pass did nothing.
/// </summary>
public sealed record UsageReportResult(int Sent, int Skipped, int Rejected, int Failed, int Refused = 0, bool Busy = false)
{
    public static readonly UsageReportResult None = new(0, 0, 0, 0);

    public UsageReportResult Add(UsageReportResult other) => new(Sent + other.Sent, Skipped + other.Skipped,
        Rejected + other.Rejected, Failed + other.Failed, Refused + other.Refused, Busy || other.Busy);
}

/// <summary>
/// Reports each access's month-to-date usage to its Waldur resource: per reportable plan component, the cumulative raw
/// quantity of the month turned into a billed amount by <see cref="BilledUsage"/>, for the current UTC month and, until
/// <see cref="MeteringOptions.ReportGraceDays"/> after its end, the previous one. Values that did not change are
/// not sent; a value is never lowered; the changed components of a resource and month go in one set_usage call, and
/// every attempt is kept as a <see cref="WaldurUsageReport"/>.
/// </summary>
public sealed class UsageReporter(RegistryDb db, WaldurClient waldur, IOptions<WaldurOptions> waldurOptions,
    IOptions<UsageReportingOptions> options, IOptions<MeteringOptions> metering, TimeProvider clock, ILogger<UsageReporter> log)
{
    public const string Lease = "metering:report";

    /// <summary>One access at a time in this process; the lease keeps other processes' passes out.</summary>
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static int _offLogged;

    private sealed record AccessToReport(Guid Id, Guid TenantId, Guid ResourceUuid, DateTime StateChangedAt, DateTime? PlanSince, List<PlanComponent> Components);

    /// <summary>
    /// The part of a billing month that belongs to the access's current plan: from the month's start, or from the plan
    /// switch when it came later (the old plan's usage was closed by a final report at the switch), to the month's end.
    /// </summary>
    private sealed record Segment(DateOnly Period, DateTime From, DateTime To)
    {
        /// <summary>
        /// The date a report carries: inside the segment, so that Waldur files it under the plan period in force then
        /// (not the 1st, when a resource created mid-month had none), and never later than now.
        /// </summary>
        public DateTime ReportDate(DateTime now) => now < To ? now : To.AddSeconds(-1);
    }
    private sealed record Item(PlanComponent Component, long Raw, decimal Amount);

    /// <summary>
    /// Reports every access with a Waldur resource that is active, suspended, or terminated within the grace period.
    /// Takes the <see cref="Lease"/>, so one replica reports at a time; within a process one access is reported at a
    /// time, so concurrent passes and a final report on termination never race each other.
    /// </summary>
    public async Task<UsageReportResult> RunAsync(CancellationToken ct)
    {
        if (!IsOn()) return UsageReportResult.None;
        var hold = TimeSpan.FromSeconds(Math.Max(600, options.Value.ReportSeconds * 3));
        if (!await JobLease.TryAcquireAsync(db, Lease, hold, ct)) return UsageReportResult.None with { Busy = true };
        try
        {
            var terminatedSince = clock.GetUtcNow().UtcDateTime.AddDays(-metering.Value.ReportGraceDays);
            var ids = await db.Accesses.AsNoTracking()
                .Where(a => a.WaldurResourceUuid != null && (a.State == AccessState.Active || a.State == AccessState.Suspended
                    || (a.State == AccessState.Terminated && a.TerminatedAt >= terminatedSince)))
                .OrderBy(a => a.Id).Select(a => a.Id).ToListAsync(ct);
            var result = UsageReportResult.None;
            var failingInARow = 0;
            foreach (var id in ids)
            {
                UsageReportResult one;
                try { one = await ReportOneAsync(id, force: false, ct); }
                catch (Exception e) when (!ct.IsCancellationRequested)
                {
                    // One access's data (or a bug it triggers) does not stop the pass for the others.
                    log.LogError(e, "Usage report of access {AccessId} failed; the pass goes on with the others", id);
                    result = result.Add(new UsageReportResult(0, 0, 0, 1));
                    continue;
                }
                result = result.Add(one);
                failingInARow = one.Failed > 0 && one.Sent == 0 ? failingInARow + 1 : 0;
                if (failingInARow < FailuresToStop) continue;
                log.LogWarning("Waldur failed {Count} usage reports in a row; the rest wait for the next pass", failingInARow);
                break;
            }
            return result;
        }
        finally { await JobLease.ReleaseAsync(db, Lease, CancellationToken.None); }
    }

    private static UsageReportResult Counted(UsageReportResult r)
    {
        WaldurMetrics.UsageReported(r);
        return r;
    }

    /// <summary>After this many accesses in a row failed, Waldur is taken to be down and the pass stops.</summary>
    private const int FailuresToStop = 3;

    /// <summary>
    /// Reports one access now, whatever its state and without waiting for a retry time: the final report when it is
    /// terminated, while its Waldur resource is still Terminating and takes usage.
    /// </summary>
    public Task<UsageReportResult> ReportAccessAsync(Guid accessId, CancellationToken ct) =>
        IsOn() ? ReportOneAsync(accessId, force: true, ct) : Task.FromResult(UsageReportResult.None);

    private async Task<UsageReportResult> ReportOneAsync(Guid accessId, bool force, CancellationToken ct)
    {
        await Gate.WaitAsync(ct);
        try { return Counted(await ReportAsync(accessId, clock.GetUtcNow().UtcDateTime, force, ct)); }
        finally { Gate.Release(); }
    }

    private bool IsOn()
    {
        if (waldurOptions.Value.Enabled) return true;
        if (Interlocked.Exchange(ref _offLogged, 1) == 0)
            log.LogInformation("Usage is not reported to Waldur: the Waldur integration is off (Waldur:ApiUrl and Waldur:Token are empty).");
        return false;
    }

    private async Task<UsageReportResult> ReportAsync(Guid accessId, DateTime now, bool force, CancellationToken ct)
    {
        var access = await db.Accesses.AsNoTracking().Where(a => a.Id == accessId && a.WaldurResourceUuid != null)
            .Select(a => new AccessToReport(a.Id, a.TenantId, a.WaldurResourceUuid!.Value, a.StateChangedAt, a.PlanSince, a.Plan!.Components))
            .SingleOrDefaultAsync(ct);
        if (access is null) return UsageReportResult.None;
        var components = BilledUsage.Reportable(access.Components).ToList();
        var result = UsageReportResult.None;
        if (components.Count == 0) return result;
        var current = BillingMonths.Of(now);
        foreach (var period in new[] { current.AddMonths(-1), current })
        {
            if (period < current && !BillingMonths.IsReported(period, now, metering.Value.ReportGraceDays)) continue;
            var monthStart = period.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            var from = access.PlanSince > monthStart ? access.PlanSince.Value : monthStart;
            if (from >= monthStart.AddMonths(1)) continue;
            result = result.Add(await ReportPeriodAsync(access, components, new Segment(period, from, monthStart.AddMonths(1)), now, force, ct));
        }
        return result;
    }

    private async Task<UsageReportResult> ReportPeriodAsync(AccessToReport access, List<PlanComponent> components, Segment segment,
        DateTime now, bool force, CancellationToken ct)
    {
        var (period, from, to) = segment;
        var raw = (await db.UsageRecords.AsNoTracking().Where(u => u.AccessId == access.Id && u.OccurredAt >= from && u.OccurredAt < to)
            .GroupBy(u => u.Metric).Select(g => new { g.Key, Sum = g.Sum(u => (double)u.Quantity) }).ToListAsync(ct))
            .ToDictionary(g => g.Key, g => UsageTotals.Of(g.Sum));
        var (accepted, last) = await HistoryAsync(access.Id, period, from, ct);
        var waitUntil = force ? null : last.Values.Where(r => r.Outcome == UsageReportOutcome.Failed).MaxBy(r => r.Id)?.RetryAfter;

        var rows = new List<WaldurUsageReport>();
        var toSend = new List<Item>();
        var skipped = 0;
        foreach (var component in components)
        {
            var quantity = raw.GetValueOrDefault(QuotaTracker.MetricOf(component));
            var item = new Item(component, quantity, BilledUsage.Amount(quantity, component));
            var reported = accepted.GetValueOrDefault(component.Type)?.Amount ?? 0m;
            var previous = last.GetValueOrDefault(component.Type);
            if (item.Amount == reported) skipped++;
            // Refused before: still below what Waldur holds.
            else if (previous is { Outcome: UsageReportOutcome.LoweringRefused } && previous.Amount == item.Amount) skipped++;
            else if (item.Amount < reported)
                rows.Add(Row(access, period, item, UsageReportOutcome.LoweringRefused, now, answer: $"Waldur was sent {reported}; a reported value is never lowered."));
            // A 4xx means Waldur refuses this amount for this resource as it is (resource not OK, component not in the
            // offering, period closed). Repeating the same call cannot succeed, so it is tried again only when the amount
            // changed or the access changed state (e.g. suspended -> active) since the rejection.
            else if (previous is { Outcome: UsageReportOutcome.Rejected } && previous.Amount == item.Amount && access.StateChangedAt <= previous.AttemptedAt)
                skipped++;
            else if (waitUntil > now) skipped++;
            else toSend.Add(item);
        }

        var sent = 0;
        if (toSend.Count > 0) sent = await SendAsync(access, segment, toSend, last.Values, rows, now, ct);
        if (rows.Count > 0)
        {
            db.UsageReports.AddRange(rows);
            await db.SaveChangesAsync(ct);
        }
        return new UsageReportResult(sent, skipped + rows.Count(r => r is { Outcome: UsageReportOutcome.Accepted, StatusCode: null }),
            rows.Count(r => r.Outcome == UsageReportOutcome.Rejected), rows.Count(r => r.Outcome == UsageReportOutcome.Failed),
            rows.Count(r => r.Outcome == UsageReportOutcome.LoweringRefused));
    }

    /// <summary>Per component: the last accepted report (the highest amount, as none is ever lowered) and the last attempt.</summary>
    /// <remarks>Only attempts since <paramref name="since"/> count: before a plan switch they were the old plan's.</remarks>
    private async Task<(Dictionary<string, WaldurUsageReport> Accepted, Dictionary<string, WaldurUsageReport> Last)> HistoryAsync(
        Guid accessId, DateOnly period, DateTime since, CancellationToken ct)
    {
        var reports = db.UsageReports.AsNoTracking().Where(r => r.AccessId == accessId && r.Period == period && r.AttemptedAt >= since);
        var lastIds = await reports.GroupBy(r => r.ComponentType).Select(g => g.Max(r => r.Id)).ToListAsync(ct);
        var acceptedIds = await reports.Where(r => r.Outcome == UsageReportOutcome.Accepted)
            .GroupBy(r => r.ComponentType).Select(g => g.Max(r => r.Id)).ToListAsync(ct);
        var ids = lastIds.Union(acceptedIds).ToList();
        var rows = ids.Count == 0 ? [] : await db.UsageReports.AsNoTracking().Where(r => ids.Contains(r.Id)).ToListAsync(ct);
        return (rows.Where(r => acceptedIds.Contains(r.Id)).ToDictionary(r => r.ComponentType),
            rows.Where(r => lastIds.Contains(r.Id)).ToDictionary(r => r.ComponentType));
    }

    /// <summary>
    /// Checks what Waldur holds (it may hold more than this registry sent, e.g. set by hand), then sends the rest in
    /// one set_usage call. Returns how many components Waldur accepted; adds a row per component to <paramref name="rows"/>.
    /// </summary>
    private async Task<int> SendAsync(AccessToReport access, Segment segment, List<Item> items, IEnumerable<WaldurUsageReport> history,
        List<WaldurUsageReport> rows, DateTime now, CancellationToken ct)
    {
        var period = segment.Period;
        IReadOnlyList<WaldurComponentUsage> held;
        // After a plan switch Waldur keeps the old plan period's usage beside the new one's: only the segment's counts.
        try { held = [.. (await waldur.ListComponentUsagesAsync(access.ResourceUuid, period, ct)).Where(u => u.Date is not { } d || d.UtcDateTime >= segment.From)]; }
        catch (WaldurApiException e)
        {
            rows.AddRange(Failures(access, period, items, e, history, now));
            return 0;
        }
        var toSend = new List<Item>();
        foreach (var item in items)
        {
            var holds = held.FirstOrDefault(u => u.Type == item.Component.Type)?.Usage;
            if (holds > item.Amount)
                rows.Add(Row(access, period, item, UsageReportOutcome.LoweringRefused, now, answer: $"Waldur holds {holds}; a reported value is never lowered."));
            else if (holds == item.Amount)
                rows.Add(Row(access, period, item, UsageReportOutcome.Accepted, now, answer: "Waldur already holds this amount."));
            else toSend.Add(item);
        }
        if (toSend.Count == 0) return 0;
        try
        {
            await SetUsageAsync(access, segment, toSend, now, ct);
            rows.AddRange(toSend.Select(i => Row(access, period, i, UsageReportOutcome.Accepted, now, status: 201)));
            return toSend.Count;
        }
        catch (WaldurApiException e) when (!e.IsTransient && toSend.Count > 1)
        {
            // One component Waldur does not take fails the whole call: find out which, one call each.
            var accepted = 0;
            foreach (var item in toSend)
            {
                try
                {
                    await SetUsageAsync(access, segment, [item], now, ct);
                    rows.Add(Row(access, period, item, UsageReportOutcome.Accepted, now, status: 201));
                    accepted++;
                }
                catch (WaldurApiException single) { rows.AddRange(Failures(access, period, [item], single, history, now)); }
            }
            return accepted;
        }
        catch (WaldurApiException e)
        {
            rows.AddRange(Failures(access, period, toSend, e, history, now));
            return 0;
        }
    }

    /// <summary>
    /// Always dates the report inside its segment: without a date Waldur files usage under its own current month, which
    /// differs from the month the usage occurred in when the call crosses midnight at a month's end; dated the 1st it
    /// lands in no plan period for a resource created later that month, or in the old plan's after a switch.
    /// </summary>
    private Task SetUsageAsync(AccessToReport access, Segment segment, List<Item> items, DateTime now, CancellationToken ct) =>
        waldur.SetUsageAsync(access.ResourceUuid,
            [.. items.Select(i => new ComponentUsageReport(i.Component.Type, i.Amount, $"{i.Raw} {QuotaTracker.MetricOf(i.Component)} in {segment.Period:yyyy-MM}"))],
            new DateTimeOffset(segment.ReportDate(now), TimeSpan.Zero), ct);

    private IEnumerable<WaldurUsageReport> Failures(AccessToReport access, DateOnly period, List<Item> items, WaldurApiException e,
        IEnumerable<WaldurUsageReport> history, DateTime now)
    {
        var status = e.StatusCode is { } code ? (int)code : (int?)null;
        if (!e.IsTransient)
        {
            log.LogWarning("Waldur rejected the {Period:yyyy-MM} usage of resource {Resource}: {Error}", period, access.ResourceUuid, e.Message);
            if (period < BillingMonths.Of(now)) WaldurMetrics.PastPeriodRejected(items.Count);
            return items.Select(i => Row(access, period, i, UsageReportOutcome.Rejected, now, status, e.Message)).ToList();
        }
        // Exponential backoff per access and month: twice the previous wait when the last attempt failed too.
        var o = options.Value;
        var previous = history.Where(r => r.Outcome == UsageReportOutcome.Failed).MaxBy(r => r.Id);
        var wait = previous?.RetryAfter is { } until && history.MaxBy(r => r.Id) == previous
            ? Math.Max(o.ReportRetrySeconds, (until - previous.AttemptedAt).TotalSeconds * 2) : o.ReportRetrySeconds;
        var retryAfter = now.AddSeconds(Math.Min(wait, o.ReportMaxRetrySeconds));
        log.LogWarning("Reporting the {Period:yyyy-MM} usage of resource {Resource} failed; retrying after {RetryAfter:O}: {Error}",
            period, access.ResourceUuid, retryAfter, e.Message);
        return items.Select(i => Row(access, period, i, UsageReportOutcome.Failed, now, status, e.Message, retryAfter)).ToList();
    }

    private static WaldurUsageReport Row(AccessToReport access, DateOnly period, Item item, UsageReportOutcome outcome, DateTime now,
        int? status = null, string? answer = null, DateTime? retryAfter = null) => new()
    {
        TenantId = access.TenantId, AccessId = access.Id, ResourceUuid = access.ResourceUuid, ComponentType = item.Component.Type,
        Period = period, Amount = item.Amount, RawQuantity = item.Raw, Outcome = outcome, StatusCode = status,
        Answer = answer is { Length: > 500 } ? answer[..500] + "…" : answer, AttemptedAt = now, RetryAfter = retryAfter,
    };
}
