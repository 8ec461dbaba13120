using System.Globalization;
using System.Text.RegularExpressions;

namespace WaldurEmulator.Infrastructure;

/// <summary>Decimals travel as JSON strings ("0.0000000000"); a few read-only fields are JSON numbers.</summary>
internal static partial class Decimals
{
    public static string Price(decimal value) => value.ToString("0.0000000000", CultureInfo.InvariantCulture);

    public static string Amount(decimal value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>Drops trailing zeros so that whole values serialize as integers (100, not 100.00).</summary>
    public static decimal Trim(decimal value) => value / 1.000000000000000000000000000000000m;

    public static bool TryParse(string? text, int maxDecimals, out decimal value)
    {
        value = 0;
        if (text is null || !DecimalPattern().IsMatch(text)) return false;
        var dot = text.IndexOf('.');
        if (dot >= 0 && text.Length - dot - 1 > maxDecimals) return false;
        return decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint,
            CultureInfo.InvariantCulture, out value);
    }

    [GeneratedRegex(@"^-?\d*(\.\d*)?$")]
    private static partial Regex DecimalPattern();
}
