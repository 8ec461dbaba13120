using System.Text.RegularExpressions;

namespace WaldurEmulator.Infrastructure;

/// <summary>Waldur's UUIDs: 32 lowercase hex characters, no dashes.</summary>
internal static partial class Hex
{
    public static string NewUuid() => Guid.NewGuid().ToString("N");

    /// <summary>Accepts hex with or without dashes, any case, as Django's UUID filters do.</summary>
    public static string? Normalize(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var hex = value.Trim().Replace("-", "").ToLowerInvariant();
        return HexPattern().IsMatch(hex) ? hex : null;
    }

    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex HexPattern();
}
