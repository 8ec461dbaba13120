using AgentRegistry.Metering;
using System.Text.RegularExpressions;
using AgentRegistry.Waldur.Reporting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AgentRegistry.Admin.Reconciliation;

/// <summary>Totals of one component type over the shown rows (amounts of different components do not add up).</summary>
public sealed record ComponentTotal(string ComponentType, long RawQuantity, decimal Expected, decimal Summarised, decimal Waldur);

/// <summary>
/// Usage reconciliation for one UTC month: raw usage, daily summaries and what Waldur holds, per access and component,
/// every difference marked. Waldur is read back on every view.
/// </summary>
public sealed partial class IndexModel(UsageReconciliation reconciliation, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Month { get; set; }
    [BindProperty(SupportsGet = true)] public bool Differences { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? Access { get; set; }

    public DateOnly Period { get; private set; }
    public string? Error { get; private set; }
    public IReadOnlyList<ReconciliationRow> All { get; private set; } = [];
    public IReadOnlyList<ReconciliationRow> Rows { get; private set; } = [];

    public IEnumerable<ComponentTotal> Totals => Rows.GroupBy(r => r.ComponentType).OrderBy(g => g.Key)
        .Select(g => new ComponentTotal(g.Key, Metering.UsageTotals.Sum(g, r => r.RawQuantity), g.Sum(r => r.Expected), g.Sum(r => r.Summarised), g.Sum(r => r.Waldur ?? 0m)));

    public async Task OnGetAsync(CancellationToken ct)
    {
        Period = BillingMonths.Of(DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
        if (!string.IsNullOrWhiteSpace(Month))
        {
            if (!ReconciliationMonth.TryParse(Month.Trim(), out var month))
            {
                Error = $"Month must be a UTC month as YYYY-MM, not '{Month}'.";
                Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }
            Period = month;
        }
        All = await reconciliation.ReconcileAsync(Period, Access, ct);
        Rows = Differences ? All.Where(r => r.IsDifference).ToList() : All;
    }

    /// <summary>The badge class of a status: settled, catching up (retried or recomputed later), or a billing difference.</summary>
    public static string Tone(ReconciliationStatus status) => status switch
    {
        ReconciliationStatus.Match => "match",
        ReconciliationStatus.SummaryBehind or ReconciliationStatus.ReportFailing or ReconciliationStatus.WaldurUnreachable => "behind",
        _ => "difference",
    };

    /// <summary>"WaldurBehind" as "Waldur Behind".</summary>
    public static string Label(ReconciliationStatus status) => Words().Replace(status.ToString(), " $1");

    public static string Explain(ReconciliationStatus status) => status switch
    {
        ReconciliationStatus.Match => "Waldur holds the expected amount and the daily summaries add up to the raw records.",
        ReconciliationStatus.WaldurUnreachable => "Waldur could not be read back; nothing was compared with it.",
        ReconciliationStatus.ReportRejected => "Waldur differs and refused the last report (resource not OK, unknown component); repeating will not help.",
        ReconciliationStatus.ReportFailing => "Waldur differs and the last report failed (Waldur down); it is retried with backoff.",
        ReconciliationStatus.NotReported => "There is usage but Waldur holds nothing for the component.",
        ReconciliationStatus.WaldurBehind => "Waldur holds less than the raw records bill.",
        ReconciliationStatus.WaldurAhead => "Waldur holds more than the raw records bill, or usage of a component the plan does not report.",
        ReconciliationStatus.SummaryBehind => "Waldur matches, but the daily summaries do not add up to the raw records yet.",
        _ => "",
    };

    [GeneratedRegex("(?<!^)([A-Z])")]
    private static partial Regex Words();
}
