using AgentRegistry.Infrastructure.Scheduling;
using AgentRegistry.Waldur.Client;
using Microsoft.Extensions.Options;
using System.ComponentModel.DataAnnotations;

namespace AgentRegistry.Waldur.Reporting;

/// <summary>How month-to-date usage is reported to Waldur; keys <c>Metering:Report*</c> of the "Metering" section.</summary>
public sealed class UsageReportingOptions
{
    public const string Section = "Metering";

    /// <summary>Interval of the background reporting pass; 0 turns it off (the CLI and the final report on termination still work).</summary>
    [Range(0, 86_400)]
    public int ReportSeconds { get; set; } = 300;

    /// <summary>Wait after the first failed report of an access and month; doubled after each further failure.</summary>
    [Range(0, 86_400)]
    public int ReportRetrySeconds { get; set; } = 60;

    /// <summary>Longest wait between retries of a failing report.</summary>
    [Range(1, 604_800)]
    public int ReportMaxRetrySeconds { get; set; } = 21_600;

    /// <summary>Interval of the background reconciliation of this month's usage with Waldur (for the metrics and alerts); 0 turns it off.</summary>
    [Range(0, 604_800)]
    public int ReconcileSeconds { get; set; } = 3600;
}

public static class UsageReportingSetup
{
    /// <summary>23:55 UTC on the last day of every month.</summary>
    public const string MonthEndCron = "0 55 23 L * ?";

    public static IServiceCollection AddUsageReporting(this IServiceCollection services)
    {
        services.AddOptions<UsageReportingOptions>().BindConfiguration(UsageReportingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<UsageReporter>();
        services.AddScheduledWork<UsageReportingJob>("waldur-usage-report", sp => sp.GetRequiredService<IOptions<WaldurOptions>>().Value.Enabled
            ? TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<UsageReportingOptions>>().Value.ReportSeconds)
            : TimeSpan.Zero);
        // Waldur closes a month's invoice on the 1st: a pass just before midnight of the month's last day reports its
        // last hours while the month is open, whatever the interval.
        services.AddScheduledWork<UsageReportingJob>("waldur-usage-report-month-end", MonthEndCron, sp =>
            sp.GetRequiredService<IOptions<WaldurOptions>>().Value.Enabled && sp.GetRequiredService<IOptions<UsageReportingOptions>>().Value.ReportSeconds > 0);
        services.AddScheduledWork<UsageReconciliationJob>("waldur-usage-reconcile", sp => sp.GetRequiredService<IOptions<WaldurOptions>>().Value.Enabled
            ? TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<UsageReportingOptions>>().Value.ReconcileSeconds)
            : TimeSpan.Zero);
        return services;
    }
}
