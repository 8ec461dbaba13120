using System.Globalization;

namespace AgentRegistry.Widget;

/// <summary>
/// WCAG 2.2 contrast of the theme colours a visitor reads: relative luminance of sRGB colours and the ratio
/// (L1 + 0.05) / (L2 + 0.05). Text on the primary colour (launcher, header, the visitor's bubbles, send button) must
/// reach <see cref="MinimumForText"/>; the panel's own colours are fixed in the loader and pass in light and dark mode.
/// </summary>
public static class WidgetContrast
{
    /// <summary>WCAG 2.2 AA for normal-size text.</summary>
    public const double MinimumForText = 4.5;

    /// <summary>Relative luminance (0 black .. 1 white) of a <c>#rrggbb</c> colour.</summary>
    public static double Luminance(string colour)
    {
        var rgb = int.Parse(colour.AsSpan(1, 6), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        return 0.2126 * Linear(rgb >> 16) + 0.7152 * Linear((rgb >> 8) & 0xff) + 0.0722 * Linear(rgb & 0xff);
    }

    private static double Linear(int channel)
    {
        var c = channel / 255.0;
        return c <= 0.04045 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
    }

    /// <summary>Contrast ratio from 1 (same luminance) to 21 (black on white); symmetric.</summary>
    public static double Ratio(string foreground, string background)
    {
        var (a, b) = (Luminance(foreground), Luminance(background));
        return (Math.Max(a, b) + 0.05) / (Math.Min(a, b) + 0.05);
    }

    /// <summary>Black or white, whichever reads better on <paramref name="background"/>; always at least 4.58:1.</summary>
    public static string ReadableOn(string background) =>
        Ratio("#000000", background) >= Ratio("#ffffff", background) ? "#000000" : "#ffffff";

    /// <summary>The text colour itself when it reaches AA on the primary colour, else the readable black or white.</summary>
    public static string TextOn(string primary, string text) =>
        Ratio(text, primary) >= MinimumForText ? text : ReadableOn(primary);

    /// <summary>A ratio as people quote it ("4.48:1"), never rounded up to the threshold it misses.</summary>
    public static string Format(double ratio) =>
        (ratio < MinimumForText ? Math.Min(Math.Round(ratio, 2), 4.49) : Math.Round(ratio, 2)).ToString("0.00", CultureInfo.InvariantCulture) + ":1";
}
