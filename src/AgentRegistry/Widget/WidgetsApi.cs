using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using AgentRegistry.Access;
using AgentRegistry.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Widget;

public sealed record WidgetTheme(string? PrimaryColor, string? TextColor, string? Position, string? LauncherIcon,
    [property: Range(0, 40)] int? Radius, [property: StringLength(200)] string? Font, bool? DarkMode);

public sealed record WidgetInput(
    [property: Required, StringLength(100, MinimumLength = 1)] string Name,
    [property: MaxLength(50)] List<string>? AllowedOrigins,
    WidgetTheme? Theme,
    [property: StringLength(100)] string? Title,
    [property: StringLength(500)] string? AvatarUrl,
    [property: StringLength(1000)] string? WelcomeMessage,
    [property: MaxLength(6)] List<string>? SuggestedQuestions,
    [property: StringLength(200)] string? Placeholder,
    bool? AutoOpen,
    bool? Enabled,
    [property: StringLength(200, MinimumLength = 32)] string? IdentitySecret);

public sealed record WidgetView(Guid Id, Guid AccessId, string Key, string Name, IReadOnlyList<string> AllowedOrigins, WidgetTheme Theme,
    string Title, string? AvatarUrl, string WelcomeMessage, IReadOnlyList<string> SuggestedQuestions, string Placeholder, bool AutoOpen,
    bool Enabled, bool IdentityVerification, string EmbedSnippet, DateTime CreatedAt, DateTime UpdatedAt)
{
    public static WidgetView Of(ChatWidget w, string snippet) => new(w.Id, w.AccessId, w.Key, w.Name, w.AllowedOrigins, ThemeOf(w),
        w.Title, w.AvatarUrl, w.WelcomeMessage, w.SuggestedQuestions, w.Placeholder, w.AutoOpen, w.Enabled, w.IdentitySecret is not null,
        snippet, w.CreatedAt, w.UpdatedAt);

    /// <summary>The theme as served; the text colour is the one that reads on the primary colour (see <see cref="WidgetContrast"/>).</summary>
    public static WidgetTheme ThemeOf(ChatWidget w) => new(w.PrimaryColor, WidgetContrast.TextOn(w.PrimaryColor, w.TextColor), w.Position,
        w.LauncherIcon, w.Radius, w.Font, w.DarkMode);
}

internal static partial class WidgetsApi
{
    public static void MapWidgets(this RouteGroupBuilder accesses)
    {
        var widgets = accesses.MapGroup("/{id:guid}/widgets").WithTags("Widgets");
        widgets.MapGet("/", List);
        widgets.MapPost("/", Create);
        widgets.MapGet("/{widgetId:guid}", Get);
        widgets.MapPut("/{widgetId:guid}", Update);
        widgets.MapDelete("/{widgetId:guid}", Delete);
    }

    private static async Task<Results<Ok<List<WidgetView>>, NotFound>> List(Guid id, RegistryDb db, WidgetLoader loader, HttpRequest request, CancellationToken ct)
    {
        if (!await db.Accesses.AnyAsync(a => a.Id == id, ct)) return TypedResults.NotFound();
        var widgets = await db.Widgets.AsNoTracking().Where(w => w.AccessId == id).OrderBy(w => w.CreatedAt).ToListAsync(ct);
        return TypedResults.Ok(widgets.Select(w => WidgetView.Of(w, loader.Snippet(request, w.Key))).ToList());
    }

    private static async Task<Results<Ok<WidgetView>, NotFound>> Get(Guid id, Guid widgetId, RegistryDb db, WidgetLoader loader, HttpRequest request, CancellationToken ct) =>
        await db.Widgets.AsNoTracking().FirstOrDefaultAsync(w => w.Id == widgetId && w.AccessId == id, ct) is { } w
            ? TypedResults.Ok(WidgetView.Of(w, loader.Snippet(request, w.Key))) : TypedResults.NotFound();

    private static async Task<Results<Created<WidgetView>, NotFound>> Create(Guid id, WidgetInput input, RegistryDb db, WidgetLoader loader,
        HttpRequest request, CancellationToken ct)
    {
        if (await db.Accesses.FirstOrDefaultAsync(a => a.Id == id, ct) is not { } access) return TypedResults.NotFound();
        if (access.State == AccessState.Terminated)
            throw new ConflictException("access-terminated", "A terminated subscription cannot get new widgets.");
        var widget = new ChatWidget { TenantId = access.TenantId, AccessId = access.Id, Key = NewKey(), Name = input.Name.Trim() };
        Apply(widget, input);
        db.Widgets.Add(widget);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/accesses/{id}/widgets/{widget.Id}", WidgetView.Of(widget, loader.Snippet(request, widget.Key)));
    }

    private static async Task<Results<Ok<WidgetView>, NotFound>> Update(Guid id, Guid widgetId, WidgetInput input, RegistryDb db,
        WidgetLoader loader, HttpRequest request, CancellationToken ct)
    {
        if (await db.Widgets.FirstOrDefaultAsync(w => w.Id == widgetId && w.AccessId == id, ct) is not { } widget) return TypedResults.NotFound();
        if (input.Enabled == true && !widget.Enabled
            && await db.Accesses.AnyAsync(a => a.Id == id && a.State == AccessState.Terminated, ct))
            throw new ConflictException("access-terminated", "A widget of a terminated subscription cannot be enabled.");
        widget.Name = input.Name.Trim();
        Apply(widget, input);
        widget.UpdatedAt = DateTime.UtcNow;
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(WidgetView.Of(widget, loader.Snippet(request, widget.Key)));
    }

    private static async Task<Results<NoContent, NotFound>> Delete(Guid id, Guid widgetId, RegistryDb db, CancellationToken ct)
    {
        if (await db.Widgets.FirstOrDefaultAsync(w => w.Id == widgetId && w.AccessId == id, ct) is not { } widget) return TypedResults.NotFound();
        db.Widgets.Remove(widget);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    private static string NewKey() => "wk_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>Validates every field first, so a refused request changes nothing.</summary>
    private static void Apply(ChatWidget w, WidgetInput input)
    {
        var origins = new List<string>();
        foreach (var (origin, i) in (input.AllowedOrigins ?? []).Select((o, i) => (o, i)))
            origins.Add(WidgetOrigins.Normalize(origin?.Trim() ?? "")
                ?? throw new FieldException($"allowed_origins[{i}]", "Use an absolute http(s) origin without a path, e.g. https://shop.example.com or https://*.example.com."));
        var t = input.Theme ?? new WidgetTheme(null, null, null, null, null, null, null);
        if (t.PrimaryColor is { } p && !Colour().IsMatch(p)) throw new FieldException("theme.primary_color", "Use a colour as #rrggbb.");
        if (t.TextColor is { } c && !Colour().IsMatch(c)) throw new FieldException("theme.text_color", "Use a colour as #rrggbb.");
        var primary = t.PrimaryColor?.ToLowerInvariant() ?? w.PrimaryColor;
        var text = t.TextColor?.ToLowerInvariant() ?? WidgetContrast.ReadableOn(primary);
        if (WidgetContrast.Ratio(text, primary) is var ratio and < WidgetContrast.MinimumForText)
            throw new FieldException("theme.text_color", $"The text colour {text} on the primary colour {primary} has a contrast of "
                + $"{WidgetContrast.Format(ratio)}; WCAG 2.2 AA needs at least 4.5:1. Choose another colour, or leave text_color out "
                + "to get black or white, whichever reads better.");
        if (t.Position is { } pos && pos is not ("left" or "right")) throw new FieldException("theme.position", "Use left or right.");
        if (t.LauncherIcon is { } icon && icon is not ("chat" or "help" or "sparkle")) throw new FieldException("theme.launcher_icon", "Use chat, help or sparkle.");
        if (t.Font is { } font && !Font().IsMatch(font)) throw new FieldException("theme.font", "Use a CSS font-family list of letters, digits, spaces, commas, quotes and hyphens.");
        if (input.AvatarUrl is { Length: > 0 } avatar && (!Uri.TryCreate(avatar, UriKind.Absolute, out var u) || u.Scheme != "https"))
            throw new FieldException("avatar_url", "Use an absolute https URL.");
        if (input.SuggestedQuestions?.FindIndex(q => string.IsNullOrWhiteSpace(q) || q.Length > 200) is >= 0 and var bad)
            throw new FieldException($"suggested_questions[{bad}]", "Each suggested question has 1 to 200 characters.");

        w.AllowedOrigins = origins.Distinct().ToList();
        w.PrimaryColor = primary;
        w.TextColor = text;
        w.Position = t.Position ?? w.Position;
        w.LauncherIcon = t.LauncherIcon ?? w.LauncherIcon;
        w.Radius = t.Radius ?? w.Radius;
        w.Font = t.Font ?? w.Font;
        w.DarkMode = t.DarkMode ?? w.DarkMode;
        w.Title = input.Title ?? w.Title;
        w.AvatarUrl = input.AvatarUrl is null ? w.AvatarUrl : input.AvatarUrl.Length == 0 ? null : input.AvatarUrl;
        w.WelcomeMessage = input.WelcomeMessage ?? w.WelcomeMessage;
        w.SuggestedQuestions = input.SuggestedQuestions?.Select(q => q.Trim()).ToList() ?? w.SuggestedQuestions;
        w.Placeholder = input.Placeholder ?? w.Placeholder;
        w.AutoOpen = input.AutoOpen ?? w.AutoOpen;
        w.Enabled = input.Enabled ?? w.Enabled;
        if (input.IdentitySecret is not null) w.IdentitySecret = input.IdentitySecret;
    }

    [GeneratedRegex("^#[0-9a-fA-F]{6}$")]
    private static partial Regex Colour();

    [GeneratedRegex("^[A-Za-z0-9 ,'\"-]{1,200}$")]
    private static partial Regex Font();
}
