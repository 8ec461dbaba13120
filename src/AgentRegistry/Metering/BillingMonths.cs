namespace AgentRegistry.Metering;

/// <summary>
/// Billing months (UTC calendar months): the period in which quotas count, usage is reported to Waldur and invoiced. The
/// one home of which month a moment belongs to, which months are still reported and which usage came too late for its
/// invoice; metering, the Waldur reporter and reconciliation all ask here.
/// </summary>
public static class BillingMonths
{
    /// <summary>The first day of the month of <paramref name="utc"/>.</summary>
    public static DateOnly Of(DateTime utc) => new(utc.Year, utc.Month, 1);

    /// <summary>The first day of the month of <paramref name="day"/>.</summary>
    public static DateOnly Of(DateOnly day) => new(day.Year, day.Month, 1);

    /// <summary>
    /// Whether usage of a billing month is still reported to Waldur: the current month, and the previous one until
    /// <paramref name="graceDays"/> after its end. The one rule for reporting and for flagging late usage events.
    /// </summary>
    public static bool IsReported(DateOnly month, DateTime now, int graceDays)
    {
        var current = Of(now);
        return month >= current
            || (month == current.AddMonths(-1) && now < current.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc).AddDays(graceDays));
    }

    /// <summary>
    /// Why usage of <paramref name="month"/> recorded at <paramref name="now"/> can no longer be invoiced, or null when it
    /// can. Waldur closes a month's invoice on the 1st of the next: usage of a past month is not invoiced even when it is
    /// still reported (within the grace days, with a staff token), and after the grace days it is not reported at all.
    /// </summary>
    public static string? LateReason(DateOnly month, DateTime now, int graceDays)
    {
        if (month >= Of(now)) return null;
        var closed = month.AddMonths(1);
        return IsReported(month, now, graceDays)
            ? $"Waldur closed the invoice of {month:yyyy-MM} on {closed:yyyy-MM-dd}; the usage is stored and reported but not invoiced"
            : $"the billing month {month:yyyy-MM} is closed; the usage is stored but not reported to Waldur";
    }
}
