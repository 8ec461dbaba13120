using AgentRegistry.Access;
using System.Globalization;
using System.Text;
using AgentRegistry.Infrastructure;
using AgentRegistry.Metering;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Portal.Accesses;

/// <summary>One metric's use per day of the shown month.</summary>
public sealed record MetricSeries(string Metric, string Label, IReadOnlyList<long> Values)
{
    public long Total => Values.Sum();
}

/// <summary>Usage of one UTC month: a chart and a table per day and metric, totals against the plan's limits, quota alerts, CSV.</summary>
public sealed class UsageModel(UsageReader usage, RegistryDb db) : PortalPage
{
    [BindProperty(SupportsGet = true)] public string? Month { get; set; }
    public DateOnly Period { get; private set; }
    public IReadOnlyList<DateOnly> Days { get; private set; } = [];
    public List<MetricSeries> Series { get; } = [];
    public List<Meter> Meters { get; private set; } = [];
    public IReadOnlyList<UsageAlert> Alerts { get; private set; } = [];
    public string? Error { get; private set; }

    public static string Label(string metric) => metric switch
    {
        Metrics.Messages => "Messages", Metrics.InputTokens => "Input tokens", Metrics.OutputTokens => "Output tokens",
        Metrics.Documents => "Documents", Metrics.StorageBytes => "Storage (bytes)", _ => metric,
    };

    public async Task OnGetAsync(CancellationToken ct)
    {
        if (await LoadAsync(ct) is null) Response.StatusCode = StatusCodes.Status400BadRequest;
    }

    /// <summary>The shown month as CSV: one row per day and metric, raw whole units.</summary>
    public async Task<IActionResult> OnGetCsvAsync(CancellationToken ct)
    {
        if (await LoadAsync(ct) is not { } report) return BadRequest(Error ?? "");
        var csv = new StringBuilder("day,metric,quantity\n");
        foreach (var d in report.Days) csv.Append(PortalFormat.Day(d.Day)).Append(',').Append(d.Metric).Append(',')
            .Append(d.Quantity.ToString(CultureInfo.InvariantCulture)).Append('\n');
        return File(Encoding.UTF8.GetBytes(csv.ToString()), "text/csv; charset=utf-8", $"usage-{Access.AgentSlug}-{PortalFormat.Month(Period)}.csv");
    }

    private async Task<UsageReport?> LoadAsync(CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(Now);
        Period = new DateOnly(today.Year, today.Month, 1);
        if (!string.IsNullOrWhiteSpace(Month))
        {
            if (!DateOnly.TryParseExact(Month.Trim() + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var chosen) || chosen > today)
            {
                Error = $"Choose a month up to this one, as YYYY-MM; '{Month}' is not one.";
                return null;
            }
            Period = chosen;
        }
        var last = Period.AddMonths(1).AddDays(-1);
        var to = last < today ? last : today;
        var report = (await usage.ForAccessAsync(Access.Id, Period, to, "day", ct))!;
        Days = Enumerable.Range(0, to.DayNumber - Period.DayNumber + 1).Select(Period.AddDays).ToList();
        var components = await db.Accesses.AsNoTracking().Where(a => a.Id == Access.Id).Select(a => a.Plan!.Components).FirstAsync(ct);
        Meters = Meter.Of(components, report);
        Alerts = report.Alerts;
        var metrics = Meters.Select(m => m.Metric).Concat(report.Totals.Keys).Distinct().ToList();
        foreach (var metric in metrics)
        {
            var byDay = report.Days.Where(d => d.Metric == metric).ToDictionary(d => d.Day, d => d.Quantity);
            Series.Add(new MetricSeries(metric, Label(metric), Days.Select(d => byDay.GetValueOrDefault(d)).ToList()));
        }
        return report;
    }
}
