using AgentRegistry.Infrastructure.Scheduling;

namespace AgentRegistry.Waldur.Reporting;

/// <summary>
/// Reconciles this month's usage with Waldur every <c>Metering:ReconcileSeconds</c> and counts the rows by status, so
/// that a billing difference shows on the dashboard and raises an alert without anyone opening the reconciliation page;
/// then reconciles the month in money (<see cref="InvoiceReconciliation"/>) and logs every access whose invoice differs.
/// </summary>
public sealed class UsageReconciliationJob(UsageReconciliation reconciliation, InvoiceReconciliation invoices, TimeProvider clock, ILogger<UsageReconciliationJob> log) : IScheduledWork
{
    public async Task RunAsync(CancellationToken ct)
    {
        var rows = await reconciliation.ReconcileAsync(DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), null, ct);
        WaldurMetrics.Reconciliation(rows);
        var differences = rows.Count(r => r.IsDifference);
        log.Log(differences > 0 ? LogLevel.Warning : LogLevel.Debug, "Usage reconciliation: {Rows} row(s), {Differences} difference(s)", rows.Count, differences);
        // In money: what Waldur will invoice this month against what the plans in force promise.
        var checks = await invoices.ReconcileAsync(DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), null, ct);
        foreach (var c in checks.Where(c => c.IsDifference))
            log.LogWarning("Invoice reconciliation of access {AccessId} for {Month:yyyy-MM}: expected {Expected}, Waldur {Waldur} ({Statuses})",
                c.AccessId, c.Month, c.Expected, c.Waldur, string.Join(", ", c.Statuses));
    }
}
