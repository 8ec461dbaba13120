using AgentRegistry.Access;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using AgentRegistry.Infrastructure;
using AgentRegistry.Metering;
using AgentRegistry.Waldur.Reporting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AgentRegistry.Cli;

/// <summary>
/// <c>agentregistry usage ...</c>: aggregate usage now, report it to Waldur now, and reconcile the two. Exit codes: 0 done (reconcile:
/// everything matches), 1 a difference or a failure, 2 bad arguments.
/// </summary>
internal static class UsageCommands
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output)
    {
        await using var scope = services.GetRequiredService<IServiceScopeFactory>().CreateSystemScope("cli");
        var sp = scope.ServiceProvider;
        return args.FirstOrDefault() switch
        {
            "aggregate" => await AggregateAsync(sp, args[1..], output),
            "reconcile" => await ReconcileAsync(sp, args[1..], output),
            "invoice" => await InvoiceAsync(sp, args[1..], output),
            "report" => await UsageReportCommand.RunAsync(services, args[1..], output),
            _ => Usage(output),
        };
    }

    private static int Usage(TextWriter output)
    {
        output.WriteLine("""
            Usage: agentregistry usage <command>
              aggregate [--since YYYY-MM-DD]
                  recompute daily summaries and quota snapshots from the usage records recorded since that UTC day
                  (default: Metering:AggregateLookbackDays ago) and print what changed
              report
                  report every subscription's month-to-date usage to Waldur now (current month, and the previous one
                  within Metering:ReportGraceDays); exit 1 when a report failed or was rejected
              reconcile [--month YYYY-MM] [--access <id>] [--json]
                  compare, per access, component and UTC month (default: this month), the raw usage, the daily summaries
                  and what Waldur holds; exit 0 when everything matches, 1 when anything differs
              invoice [--month YYYY-MM] [--access <id>] [--json]
                  reconcile in money: per access and month, what Waldur will invoice (its plan periods, prices, quotas,
                  limits and stored usage) against what the plans in force promise, with a status per kind of
                  difference; exit 0 when every access matches, 1 otherwise
            """);
        return 2;
    }

    private static int Bad(TextWriter output, string message)
    {
        output.WriteLine($"error: {message}");
        return 2;
    }

    private static async Task<int> AggregateAsync(IServiceProvider sp, string[] args, TextWriter output)
    {
        if (Unknown(args, ["--since"]) is { } unknown) return Bad(output, $"unknown argument '{unknown}'.");
        var now = sp.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var since = now.AddDays(-sp.GetRequiredService<IOptions<MeteringOptions>>().Value.AggregateLookbackDays);
        if (Option(args, "--since") is { } text)
        {
            if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
                return Bad(output, $"--since must be a UTC day as YYYY-MM-DD, not '{text}'.");
            since = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        }
        var result = await sp.GetRequiredService<UsageAggregator>().RunAsync(since, CancellationToken.None);
        output.WriteLine($"Aggregated usage recorded since {since:yyyy-MM-dd HH:mm} UTC: {result.DaysRecomputed} access-day(s) recomputed, " +
            $"{result.SummariesChanged} daily summary(ies) and {result.SnapshotsChanged} quota snapshot(s) changed.");
        if (result.FailedAccesses.Count == 0) return 0;
        output.WriteLine($"Failed for {result.FailedAccesses.Count} access(es), see the log: {string.Join(", ", result.FailedAccesses)}");
        return 1;
    }

    /// <summary>The month (default this one) and access of a reconciliation, or the error to print.</summary>
    private static async Task<(DateOnly Month, Guid? AccessId, string? Error)> ScopeAsync(IServiceProvider sp, string[] args)
    {
        if (Unknown(args, ["--month", "--access"], ["--json"]) is { } unknown) return (default, null, $"unknown argument '{unknown}'.");
        var month = BillingMonths.Of(DateOnly.FromDateTime(sp.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime));
        if (Option(args, "--month") is { } text && !ReconciliationMonth.TryParse(text, out month))
            return (default, null, $"--month must be a UTC month as YYYY-MM, not '{text}'.");
        if (Option(args, "--access") is not { } id) return (month, null, null);
        if (!Guid.TryParse(id, out var parsed)) return (default, null, $"--access must be an access id, not '{id}'.");
        if (!await sp.GetRequiredService<RegistryDb>().Accesses.AnyAsync(a => a.Id == parsed)) return (default, null, $"no access has the id {parsed}.");
        return (month, parsed, null);
    }

    private static async Task<int> InvoiceAsync(IServiceProvider sp, string[] args, TextWriter output)
    {
        var (month, accessId, error) = await ScopeAsync(sp, args);
        if (error is not null) return Bad(output, error);
        var results = await sp.GetRequiredService<InvoiceReconciliation>().ReconcileAsync(month, accessId, CancellationToken.None);
        var differences = results.Count(r => r.IsDifference);
        if (args.Contains("--json"))
        {
            output.WriteLine(JsonSerializer.Serialize(new { Month = ReconciliationMonth.Format(month), Differences = differences, Accesses = results }, Json));
            return differences == 0 ? 0 : 1;
        }
        static string Money(decimal? value) => value?.ToString("0.00", CultureInfo.InvariantCulture) ?? "—";
        foreach (var r in results)
        {
            output.WriteLine($"{string.Join(",", r.Statuses),-24} {Cut(r.Access, 30),-30} expected {Money(r.Expected),10}  waldur {Money(r.Waldur),10}");
            foreach (var l in r.Lines)
                output.WriteLine($"  {l.Status,-18} {Cut($"{l.Plan} v{l.PlanVersion}", 20),-20} {Cut(l.ComponentType, 14),-14} {l.From:MM-dd}..{l.To:MM-dd} " +
                    $"{Money(l.Expected),10} {Money(l.Waldur),10}  {l.Note}");
        }
        output.WriteLine($"{ReconciliationMonth.Format(month)}: {results.Count} access(es), {differences} with a difference.");
        return differences == 0 ? 0 : 1;
    }

    private static async Task<int> ReconcileAsync(IServiceProvider sp, string[] args, TextWriter output)
    {
        var (month, accessId, error) = await ScopeAsync(sp, args);
        if (error is not null) return Bad(output, error);

        var rows = await sp.GetRequiredService<UsageReconciliation>().ReconcileAsync(month, accessId, CancellationToken.None);
        var differences = rows.Count(r => r.IsDifference);
        if (args.Contains("--json"))
            output.WriteLine(JsonSerializer.Serialize(new { Month = ReconciliationMonth.Format(month), Differences = differences, Rows = rows }, Json));
        else
            WriteTable(output, month, rows, differences);
        return differences == 0 ? 0 : 1;
    }

    private static void WriteTable(TextWriter output, DateOnly month, IReadOnlyList<ReconciliationRow> rows, int differences)
    {
        static string Amount(decimal? value) => value?.ToString("0.00", CultureInfo.InvariantCulture) ?? "—";
        output.WriteLine($"{"status",-18} {"tenant",-20} {"access",-20} {"component",-14} {"raw",12} {"expected",12} {"summaries",12} {"waldur",12}  last report");
        foreach (var r in rows)
        {
            var last = r.LastReport is { } l ? $"{l.Outcome} {l.StatusCode} {l.AttemptedAt:yyyy-MM-dd HH:mm}" : "—";
            output.WriteLine($"{r.Status,-18} {Cut(r.Tenant, 20),-20} {Cut(r.Access, 20),-20} {Cut(r.ComponentType, 14),-14} {r.RawQuantity,12} " +
                $"{Amount(r.Expected),12} {Amount(r.Summarised),12} {Amount(r.Waldur),12}  {last}");
            if (r.Note is not null) output.WriteLine($"{"",-18} {r.Note}");
        }
        output.WriteLine($"{ReconciliationMonth.Format(month)}: {rows.Count} row(s), {differences} difference(s).");
    }

    private static string Cut(string text, int width) => text.Length <= width ? text : text[..(width - 1)] + "…";

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : i >= 0 ? "" : null;
    }

    /// <summary>The first argument that is neither a known option with its value nor a known flag.</summary>
    private static string? Unknown(string[] args, string[] options, string[]? flags = null)
    {
        for (var i = 0; i < args.Length; i++)
        {
            if (options.Contains(args[i])) i++;
            else if (flags?.Contains(args[i]) != true) return args[i];
        }
        return null;
    }
}
