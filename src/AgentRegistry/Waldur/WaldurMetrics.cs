using System.Diagnostics.Metrics;
using AgentRegistry.Waldur.Reporting;

namespace AgentRegistry.Waldur;

/// <summary>
/// The Waldur integration's figures: webhooks received and processed, the inbox backlog, orders acted on, calls to
/// Waldur, usage reports and reconciliation. Every series an alert divides by exists from the start (at zero).
/// </summary>
public static class WaldurMetrics
{
    public const string MeterName = "AgentRegistry.Waldur";
    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Received = Meter.CreateCounter<long>("agentregistry.webhooks.received", "{event}",
        "Webhook deliveries by endpoint and result: stored, duplicate or rejected (with the problem).");
    private static readonly Counter<long> Processed = Meter.CreateCounter<long>("agentregistry.webhooks.processed", "{event}",
        "Stored webhook events processed, by result: processed, ignored, retry (failed, will retry) or failed (gave up).");
    private static readonly Histogram<double> Lag = Meter.CreateHistogram<double>("agentregistry.webhooks.lag", "s",
        "Time from a webhook's receipt to the end of its processing.", advice: new() { HistogramBucketBoundaries = [0.1, 0.5, 1, 2, 5, 10, 30, 60, 300, 900] });
    private static readonly Counter<long> Orders = Meter.CreateCounter<long>("agentregistry.orders", "{order}",
        "Waldur orders acted on, by type (create, update, terminate) and result (done, rejected, erred).");
    private static readonly Histogram<double> Calls = Meter.CreateHistogram<double>("agentregistry.waldur.call.duration", "s",
        "Calls to Waldur's API by method and result (HTTP status class, or timeout / unreachable).",
        advice: new() { HistogramBucketBoundaries = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });
    private static readonly Counter<long> CallFailures = Meter.CreateCounter<long>("agentregistry.waldur.call.failures", "{call}",
        "Calls to Waldur that failed: 5xx, timeout or unreachable.");
    private static readonly Counter<long> Reports = Meter.CreateCounter<long>("agentregistry.usage.reports", "{report}",
        "Usage values reported to Waldur, by result: sent, rejected, failed, refused (would lower a reported value).");
    private static readonly Counter<long> PastPeriodRejections = Meter.CreateCounter<long>("agentregistry.usage.reports.past_period_rejected", "{value}",
        "Usage values of a past billing month that Waldur rejected (a provider token cannot report a past month): not invoiced.");
    private static readonly Counter<long> Reconciled = Meter.CreateCounter<long>("agentregistry.reconciliation.rows", "{row}",
        "Rows of each usage reconciliation pass, by status (match or the kind of difference).");

    private static long _inboxPending, _inboxFailed;
    private static double _inboxOldestSeconds;

    static WaldurMetrics()
    {
        Meter.CreateObservableGauge("agentregistry.webhooks.inbox.pending", () => Volatile.Read(ref _inboxPending), "{event}",
            "Webhook events stored and not yet processed.");
        Meter.CreateObservableGauge("agentregistry.webhooks.inbox.failed", () => Volatile.Read(ref _inboxFailed), "{event}",
            "Webhook events given up on after every retry.");
        Meter.CreateObservableGauge("agentregistry.webhooks.inbox.oldest", () => Volatile.Read(ref _inboxOldestSeconds), "s",
            "Age of the oldest webhook event waiting to be processed (0 when none waits).");
    }

    /// <summary>Every series a dashboard or alert divides by, at zero: run once the metrics are being collected.</summary>
    public static void ZeroSeries()
    {
        foreach (var result in new[] { "processed", "ignored", "retry", "failed" }) Processed.Add(0, new KeyValuePair<string, object?>("result", result));
        foreach (var result in new[] { "done", "rejected", "erred" }) Orders.Add(0, new KeyValuePair<string, object?>("result", result));
        CallFailures.Add(0);
        foreach (var result in new[] { "sent", "rejected", "failed", "refused" }) Reports.Add(0, new KeyValuePair<string, object?>("result", result));
        Reconciled.Add(0, new KeyValuePair<string, object?>("status", "match"));
        PastPeriodRejections.Add(0);
    }

    public static void PastPeriodRejected(int values) => PastPeriodRejections.Add(values);

    public static void WebhookReceived(string endpoint, string result) =>
        Received.Add(1, new("endpoint", endpoint), new("result", result));

    public static void WebhookProcessed(string result, DateTime receivedAt, DateTime now)
    {
        Processed.Add(1, new KeyValuePair<string, object?>("result", result));
        if (result is "processed" or "ignored" or "failed") Lag.Record(Math.Max(0, (now - receivedAt).TotalSeconds));
    }

    public static void OrderActedOn(string type, string result) =>
        Orders.Add(1, new("type", type.ToLowerInvariant()), new("result", result));

    public static void WaldurCall(string method, string result, TimeSpan elapsed)
    {
        Calls.Record(elapsed.TotalSeconds, new("http.request.method", method), new("result", result));
        if (result is "5xx" or "timeout" or "unreachable") CallFailures.Add(1, new("http.request.method", method), new("result", result));
    }

    public static string CallResult(int status) => $"{status / 100}xx";

    public static void UsageReported(UsageReportResult r)
    {
        if (r.Sent > 0) Reports.Add(r.Sent, new KeyValuePair<string, object?>("result", "sent"));
        if (r.Rejected > 0) Reports.Add(r.Rejected, new KeyValuePair<string, object?>("result", "rejected"));
        if (r.Failed > 0) Reports.Add(r.Failed, new KeyValuePair<string, object?>("result", "failed"));
        if (r.Refused > 0) Reports.Add(r.Refused, new KeyValuePair<string, object?>("result", "refused"));
    }

    public static void Reconciliation(IEnumerable<ReconciliationRow> rows)
    {
        foreach (var group in rows.GroupBy(r => r.Status))
            Reconciled.Add(group.Count(), new KeyValuePair<string, object?>("status", StatusName(group.Key)));
    }

    private static string StatusName(ReconciliationStatus status) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(status.ToString());

    public static void Inbox(long pending, long failed, double oldestSeconds)
    {
        Volatile.Write(ref _inboxPending, pending);
        Volatile.Write(ref _inboxFailed, failed);
        Volatile.Write(ref _inboxOldestSeconds, oldestSeconds);
    }
}
