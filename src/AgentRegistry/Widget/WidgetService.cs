using AgentRegistry.Chat;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using AgentRegistry.Access;
using AgentRegistry.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Widget;

/// <summary>
/// The widgets of an access: list, create, change, delete. The REST API and the portal both call it, so the rules
/// (origins, colours and their contrast, a terminated subscription's widgets) live here once. Null answers mean the
/// access or widget is not the caller's to see.
/// </summary>
public sealed partial class WidgetService(RegistryDb db, TimeProvider clock, IdentitySecrets secrets) : IAccessTermination, IWidgetNames
{
    public async Task<IReadOnlyDictionary<Guid, string>> NamesAsync(IReadOnlyCollection<Guid> widgetIds, CancellationToken ct) =>
        await db.Widgets.AsNoTracking().Where(w => widgetIds.Contains(w.Id)).ToDictionaryAsync(w => w.Id, w => w.Name, ct);

    /// <summary>A terminated subscription answers no visitor: its widgets stop at once.</summary>
    public Task TerminatedAsync(Guid accessId, DateTime at, CancellationToken ct) =>
        db.Widgets.Where(w => w.AccessId == accessId && w.Enabled)
            .ExecuteUpdateAsync(s => s.SetProperty(w => w.Enabled, false).SetProperty(w => w.UpdatedAt, at), ct);

    public async Task<List<ChatWidget>?> ListAsync(Guid accessId, CancellationToken ct)
    {
        if (!await db.Accesses.AnyAsync(a => a.Id == accessId, ct)) return null;
        return await db.Widgets.AsNoTracking().Where(w => w.AccessId == accessId).OrderBy(w => w.CreatedAt).ToListAsync(ct);
    }

    public Task<ChatWidget?> GetAsync(Guid accessId, Guid widgetId, CancellationToken ct) =>
        db.Widgets.AsNoTracking().FirstOrDefaultAsync(w => w.Id == widgetId && w.AccessId == accessId, ct);

    public async Task<ChatWidget?> CreateAsync(Guid accessId, WidgetInput input, CancellationToken ct)
    {
        if (await db.Accesses.FirstOrDefaultAsync(a => a.Id == accessId, ct) is not { } access) return null;
        if (access.State == AccessState.Terminated)
            throw new ConflictException("access-terminated", "A terminated subscription cannot get new widgets.");
        var widget = new ChatWidget { TenantId = access.TenantId, AccessId = access.Id, Key = NewKey(), Name = input.Name.Trim() };
        Apply(widget, input, secrets);
        db.Widgets.Add(widget);
        await db.SaveChangesAsync(ct);
        return widget;
    }

    public async Task<ChatWidget?> UpdateAsync(Guid accessId, Guid widgetId, WidgetInput input, CancellationToken ct)
    {
        if (await db.Widgets.FirstOrDefaultAsync(w => w.Id == widgetId && w.AccessId == accessId, ct) is not { } widget) return null;
        if (input.Enabled == true && !widget.Enabled
            && await db.Accesses.AnyAsync(a => a.Id == accessId && a.State == AccessState.Terminated, ct))
            throw new ConflictException("access-terminated", "A widget of a terminated subscription cannot be enabled.");
        widget.Name = input.Name.Trim();
        Apply(widget, input, secrets);
        widget.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return widget;
    }

    public async Task<bool> DeleteAsync(Guid accessId, Guid widgetId, CancellationToken ct)
    {
        if (await db.Widgets.FirstOrDefaultAsync(w => w.Id == widgetId && w.AccessId == accessId, ct) is not { } widget) return false;
        db.Widgets.Remove(widget);
        await db.SaveChangesAsync(ct);
        return true;
    }

    private static string NewKey() => "wk_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>Validates every field first, so a refused request changes nothing.</summary>
    private static void Apply(ChatWidget w, WidgetInput input, IdentitySecrets secrets)
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
        if (input.IdentitySecret is not null) w.IdentitySecret = secrets.Seal(input.IdentitySecret);
    }

    [GeneratedRegex("^#[0-9a-fA-F]{6}$")]
    private static partial Regex Colour();

    [GeneratedRegex("^[A-Za-z0-9 ,'\"-]{1,200}$")]
    private static partial Regex Font();
}
