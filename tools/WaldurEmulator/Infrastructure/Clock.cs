using System.Globalization;

namespace WaldurEmulator.Infrastructure;

/// <summary>Formats of dates as Waldur writes them (ISO 8601, UTC, microseconds).</summary>
internal static class Clock
{
    public static string Iso(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    public static string? Iso(DateTimeOffset? value) => value is { } v ? Iso(v) : null;

    public static string Date(DateOnly value) => value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string? Date(DateOnly? value) => value is { } v ? Date(v) : null;

    /// <summary>Billing periods are calendar months in UTC, named by their first day.</summary>
    public static DateOnly MonthStart(DateTimeOffset value)
    {
        var utc = value.UtcDateTime;
        return new DateOnly(utc.Year, utc.Month, 1);
    }
}
