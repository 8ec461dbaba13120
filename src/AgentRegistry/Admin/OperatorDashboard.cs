using AgentRegistry.Chat;
using AgentRegistry.Infrastructure;
using AgentRegistry.Knowledge;
using AgentRegistry.Waldur;
using AgentRegistry.Waldur.Reporting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AgentRegistry.Admin;

public sealed record PartHealth(string Name, HealthStatus Status, string? Description);

/// <summary>A figure of the launch plan's monitoring: its value now, its target, whether it meets it, and the list behind it.</summary>
public sealed record LaunchFigure(string Name, string Value, string Target, bool? Met, string Basis, string Href);

/// <summary>How Waldur's copy of this month's usage compares, from one reconciliation pass.</summary>
public sealed record BillingSync(int Rows, int Differences, DateTime At, string? Error);

/// <summary>
/// What an operator looks at first: the health of the parts, and the launch plan's figures over the last day, computed
/// from what the registry stores (answers, webhook events, usage reports, documents) until a metrics store exists.
/// </summary>
public sealed class OperatorDashboard(RegistryDb db, HealthCheckService health, UsageReconciliation reconciliation, IMemoryCache cache,
    TimeProvider clock)
{
    /// <summary>At most this many recent answers make the latency figure.</summary>
    public const int LatencySample = 10_000;

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    public async Task<List<PartHealth>> HealthAsync(CancellationToken ct)
    {
        var report = await health.CheckHealthAsync(c => c.Tags.Contains("ready") || c.Tags.Contains("dependencies"), ct);
        return report.Entries.Select(e => new PartHealth(e.Key, e.Value.Status, e.Value.Description)).OrderBy(p => p.Name).ToList();
    }

    /// <summary>This month's reconciliation, kept a minute: it reads every resource's usage back from Waldur.</summary>
    public Task<BillingSync> BillingSyncAsync(CancellationToken ct) => cache.GetOrCreateAsync("admin-billing-sync", async entry =>
    {
        entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(1);
        try
        {
            var rows = await reconciliation.ReconcileAsync(DateOnly.FromDateTime(Now), null, ct);
            return new BillingSync(rows.Count, rows.Count(r => r.IsDifference), Now, null);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            return new BillingSync(0, 0, Now, e.Message);
        }
    })!;

    /// <summary>Usage reports whose latest attempt was rejected or failed, per outcome.</summary>
    public async Task<Dictionary<UsageReportOutcome, int>> FailingReportsAsync(CancellationToken ct) =>
        await db.UsageReports.AsNoTracking()
            .Where(r => !db.Set<WaldurUsageReport>().Any(o => o.AccessId == r.AccessId && o.ComponentType == r.ComponentType && o.Period == r.Period
                && (o.AttemptedAt > r.AttemptedAt || (o.AttemptedAt == r.AttemptedAt && o.Id > r.Id))))
            .Where(r => r.Outcome == UsageReportOutcome.Rejected || r.Outcome == UsageReportOutcome.Failed)
            .GroupBy(r => r.Outcome).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);

    public async Task<List<LaunchFigure>> FiguresAsync(BillingSync billing, CancellationToken ct)
    {
        var since = Now.AddDays(-1);
        var figures = new List<LaunchFigure>();

        // Answer time: from the question's arrival to the stored answer, for the latest answers of the day.
        var messages = await db.Messages.AsNoTracking().Where(m => m.CreatedAt >= since)
            .OrderByDescending(m => m.CreatedAt).Take(LatencySample * 2)
            .Select(m => new { m.ConversationId, m.Role, m.CreatedAt }).ToListAsync(ct);
        var latencies = messages.GroupBy(m => m.ConversationId).SelectMany(g =>
        {
            var ordered = g.OrderBy(m => m.CreatedAt).ToList();
            return ordered.Select((m, i) => m.Role == MessageRoles.Assistant && i > 0 && ordered[i - 1].Role == MessageRoles.User
                ? (m.CreatedAt - ordered[i - 1].CreatedAt).TotalMilliseconds : (double?)null).OfType<double>();
        }).Order().ToList();
        var p95 = latencies.Count == 0 ? (double?)null : latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(latencies.Count * 0.95) - 1)];
        figures.Add(new LaunchFigure("Answer time, P95", p95 is { } p ? $"{p:0} ms" : "no answers", "< 500 ms", p95 is null ? null : p95 < 500,
            $"{latencies.Count} answer(s) in the last day, question received to answer stored, the language model's time included",
            "/admin/conversations"));

        // Errors: background work whose outcome is stored (webhook events, usage reports to Waldur, document processing).
        var events = await db.WebhookEvents.AsNoTracking().Where(e => e.ReceivedAt >= since && e.Status != WebhookEventStatus.Pending)
            .GroupBy(e => e.Status).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        var reports = await db.UsageReports.AsNoTracking().Where(r => r.AttemptedAt >= since)
            .GroupBy(r => r.Outcome).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        var documents = await db.TrainingDocuments.AsNoTracking()
            .Where(d => d.UpdatedAt >= since && (d.Status == DocumentStatus.Ready || d.Status == DocumentStatus.Failed))
            .GroupBy(d => d.Status).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        var failed = events.GetValueOrDefault(WebhookEventStatus.Failed) + reports.GetValueOrDefault(UsageReportOutcome.Failed)
            + reports.GetValueOrDefault(UsageReportOutcome.Rejected) + documents.GetValueOrDefault(DocumentStatus.Failed);
        var total = events.Values.Sum() + reports.Values.Sum() + documents.Values.Sum();
        figures.Add(new LaunchFigure("Error rate", total == 0 ? "nothing done" : Percent(failed, total), "< 1%", total == 0 ? null : failed * 100 < total,
            $"{failed} of {total} webhook events, usage reports and documents in the last day failed", "/admin/webhooks?status=Failed"));

        var handled = events.GetValueOrDefault(WebhookEventStatus.Processed) + events.GetValueOrDefault(WebhookEventStatus.Ignored);
        var settled = handled + events.GetValueOrDefault(WebhookEventStatus.Failed);
        figures.Add(new LaunchFigure("Webhook processing success", settled == 0 ? "no events" : Percent(handled, settled), "> 99%",
            settled == 0 ? null : handled * 100 > settled * 99, $"{handled} of {settled} webhook events received in the last day processed",
            "/admin/webhooks"));

        var matching = billing.Rows - billing.Differences;
        figures.Add(new LaunchFigure("Billing sync accuracy", billing.Error is not null ? "unknown" : billing.Rows == 0 ? "nothing billed" : Percent(matching, billing.Rows),
            "100%", billing.Error is not null || billing.Rows == 0 ? null : billing.Differences == 0,
            billing.Error ?? $"{matching} of {billing.Rows} resource components this month match Waldur", "/admin/reconciliation?differences=true"));
        return figures;
    }

    private static string Percent(int part, int whole) =>
        (part * 100.0 / whole).ToString(part == whole || part == 0 ? "0" : "0.0", System.Globalization.CultureInfo.InvariantCulture) + "%";
}
