namespace AgentRegistry.Tests.Infrastructure;

/// <summary>
/// The dates tests run the registry and the emulator on, never today's: at a month's edge, where month-to-date totals,
/// quotas, late usage and billing periods go wrong first. Both lie in the past: a registry moved back to system time
/// after a test finds no scheduled job pushed into the future.
/// </summary>
public static class TestDates
{
    /// <summary>The 31st, half an hour before a month (and a year) ends.</summary>
    public static readonly DateTime MonthEnd = new(2025, 12, 31, 23, 30, 0, DateTimeKind.Utc);

    /// <summary>The 1st, ten minutes after a month (of 28 days) ended.</summary>
    public static readonly DateTime MonthStart = new(2026, 3, 1, 0, 10, 0, DateTimeKind.Utc);

    /// <summary>First day of the UTC month of <paramref name="utc"/>.</summary>
    public static DateOnly MonthOf(DateTime utc) => new(utc.Year, utc.Month, 1);
}
