using System.Text.RegularExpressions;
using AgentRegistry.Widget;

namespace AgentRegistry.Portal;

/// <summary>The widget form of the portal: the REST API's <see cref="WidgetInput"/> as form fields (lists one per line).</summary>
public sealed partial class WidgetForm
{
    public string? Name { get; set; }
    public string? AllowedOrigins { get; set; }
    public string? PrimaryColor { get; set; } = "#2563eb";
    /// <summary>Empty: black or white, whichever reads better on the primary colour.</summary>
    public string? TextColor { get; set; }
    public string? Position { get; set; } = "right";
    public string? LauncherIcon { get; set; } = "chat";
    public int? Radius { get; set; } = 12;
    public string? Font { get; set; } = "system-ui, sans-serif";
    public bool DarkMode { get; set; }
    public string? Title { get; set; } = "Chat with us";
    public string? AvatarUrl { get; set; }
    public string? WelcomeMessage { get; set; } = "Hello! How can I help?";
    public string? SuggestedQuestions { get; set; }
    public string? Placeholder { get; set; } = "Type your question…";
    public bool AutoOpen { get; set; }
    public bool Enabled { get; set; } = true;

    public WidgetInput Input() => new(Name ?? "", PortalFormat.Lines(AllowedOrigins),
        new WidgetTheme(Blank(PrimaryColor), Blank(TextColor), Blank(Position), Blank(LauncherIcon), Radius, Blank(Font), DarkMode),
        Title, AvatarUrl?.Trim() ?? "", WelcomeMessage, PortalFormat.Lines(SuggestedQuestions), Placeholder, AutoOpen, Enabled, null);

    public static WidgetForm Of(ChatWidget w) => new()
    {
        Name = w.Name, AllowedOrigins = string.Join('\n', w.AllowedOrigins), PrimaryColor = w.PrimaryColor,
        // A stored text colour that is the automatic choice stays automatic.
        TextColor = w.TextColor == WidgetContrast.ReadableOn(w.PrimaryColor) ? null : w.TextColor,
        Position = w.Position, LauncherIcon = w.LauncherIcon, Radius = w.Radius, Font = w.Font, DarkMode = w.DarkMode, Title = w.Title,
        AvatarUrl = w.AvatarUrl, WelcomeMessage = w.WelcomeMessage, SuggestedQuestions = string.Join('\n', w.SuggestedQuestions),
        Placeholder = w.Placeholder, AutoOpen = w.AutoOpen, Enabled = w.Enabled,
    };

    /// <summary>The text colour in effect and its contrast on the primary colour, as the registry will serve it.</summary>
    public (string Text, double Ratio)? Contrast()
    {
        if (PrimaryColor is not { } p || !Hex().IsMatch(p)) return null;
        var text = TextColor is { } t && Hex().IsMatch(t) ? t : WidgetContrast.ReadableOn(p);
        return (text, WidgetContrast.Ratio(text, p));
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    [GeneratedRegex("^#[0-9a-fA-F]{6}$")]
    private static partial Regex Hex();
}

/// <summary>Base of the widget pages: the service's field names ("theme.primary_color", "allowed_origins[2]") shown beside form fields.</summary>
public abstract class WidgetFormPage : PortalPage
{
    protected override string FormKey(string field)
    {
        var name = field.StartsWith("theme.", StringComparison.Ordinal) ? field["theme.".Length..] : field;
        var bracket = name.IndexOf('[');
        return "Form." + PortalFormat.Pascal(bracket < 0 ? name : name[..bracket]);
    }

    protected override string FieldMessage(string field, string message) =>
        field.IndexOf('[') is var at and >= 0 && int.TryParse(field[(at + 1)..field.IndexOf(']')], out var i) ? $"Line {i + 1}: {message}" : message;
}
