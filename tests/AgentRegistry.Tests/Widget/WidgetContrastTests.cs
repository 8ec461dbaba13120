using AgentRegistry.Widget;

namespace AgentRegistry.Tests.Widget;

/// <summary>WCAG 2.2 relative luminance and contrast ratio, against pairs with published values.</summary>
public sealed class WidgetContrastTests
{
    [Theory]
    [InlineData("#000000", "#ffffff", 21.0)]
    [InlineData("#ffffff", "#ffffff", 1.0)]
    [InlineData("#777777", "#ffffff", 4.48)]
    [InlineData("#ffffff", "#777777", 4.48)]
    [InlineData("#767676", "#ffffff", 4.54)]
    [InlineData("#ffffff", "#2563eb", 5.17)]
    [InlineData("#ffffff", "#ffd700", 1.4)]
    [InlineData("#000000", "#ffd700", 14.97)]
    public void RatioMatchesKnownPairs(string foreground, string background, double expected) =>
        Assert.Equal(expected, WidgetContrast.Ratio(foreground, background), 2);

    [Theory]
    [InlineData("#000000", 0.0)]
    [InlineData("#ffffff", 1.0)]
    [InlineData("#ff0000", 0.2126)]
    [InlineData("#00ff00", 0.7152)]
    [InlineData("#0000ff", 0.0722)]
    [InlineData("#808080", 0.2159)]
    public void LuminanceFollowsTheSrgbFormula(string colour, double expected) =>
        Assert.Equal(expected, WidgetContrast.Luminance(colour), 4);

    [Fact]
    public void ReadableForegroundReachesAaOnEveryGreyAndPrimaryColour()
    {
        for (var v = 0; v < 256; v += 5)
            foreach (var colour in new[] { $"#{v:x2}{v:x2}{v:x2}", $"#{v:x2}0000", $"#00{v:x2}00", $"#0000{v:x2}", $"#{v:x2}{v:x2}00" })
                Assert.True(WidgetContrast.Ratio(WidgetContrast.ReadableOn(colour), colour) >= WidgetContrast.MinimumForText, colour);
        Assert.Equal("#000000", WidgetContrast.ReadableOn("#ffd700"));
        Assert.Equal("#ffffff", WidgetContrast.ReadableOn("#2563eb"));
    }

    [Fact]
    public void StoredTextColourIsKeptOnlyWhileItReachesAa()
    {
        Assert.Equal("#ffffff", WidgetContrast.TextOn("#2563eb", "#ffffff"));
        Assert.Equal("#000000", WidgetContrast.TextOn("#ffd700", "#ffffff"));
    }

    [Theory]
    [InlineData(4.4776, "4.48:1")]
    [InlineData(4.497, "4.49:1")]
    [InlineData(4.5, "4.50:1")]
    [InlineData(21, "21.00:1")]
    public void RatioIsQuotedWithoutRoundingUpToTheThreshold(double ratio, string quoted) =>
        Assert.Equal(quoted, WidgetContrast.Format(ratio));

    /// <summary>The panel colours the loader uses (widget/widget.js) for text, in light and dark mode.</summary>
    [Theory]
    [InlineData("#111827", "#ffffff")] // light: text on panel
    [InlineData("#111827", "#f1f5f9")] // light: text on the assistant's bubble
    [InlineData("#f9fafb", "#111827")] // dark: text on panel
    [InlineData("#f9fafb", "#1f2937")] // dark: text on the assistant's bubble
    [InlineData("#b91c1c", "#fee2e2")] // error notice
    public void LoaderPanelColoursReachAa(string text, string background)
    {
        Assert.True(WidgetContrast.Ratio(text, background) >= WidgetContrast.MinimumForText);
        Assert.Contains(text, File.ReadAllText(LoaderPath()));
        Assert.Contains(background, File.ReadAllText(LoaderPath()));
    }

    private static string LoaderPath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "widget", "widget.js"))) return Path.Combine(dir.FullName, "widget", "widget.js");
        throw new FileNotFoundException("widget/widget.js not found above the test output directory.");
    }
}
