using AgentRegistry.Infrastructure;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;

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

internal static class WidgetsApi
{
    /// <summary>An access's widgets: members of its tenant reach them (the data layer's filter makes others 404).</summary>
    public static IEndpointRouteBuilder MapWidgets(this IEndpointRouteBuilder routes)
    {
        var widgets = routes.MapGroup("/api/v1/accesses/{id:guid}/widgets").WithTags("Widgets").RequireAuthorization(Policies.Person);
        widgets.MapGet("/", List);
        widgets.MapPost("/", Create);
        widgets.MapGet("/{widgetId:guid}", Get);
        widgets.MapPut("/{widgetId:guid}", Update);
        widgets.MapDelete("/{widgetId:guid}", Delete);
        return routes;
    }

    private static async Task<Results<Ok<List<WidgetView>>, NotFound>> List(Guid id, WidgetService widgets, WidgetLoader loader, HttpRequest request,
        CancellationToken ct) =>
        await widgets.ListAsync(id, ct) is { } list ? TypedResults.Ok(list.Select(w => WidgetView.Of(w, loader.Snippet(request, w.Key))).ToList())
            : TypedResults.NotFound();

    private static async Task<Results<Ok<WidgetView>, NotFound>> Get(Guid id, Guid widgetId, WidgetService widgets, WidgetLoader loader,
        HttpRequest request, CancellationToken ct) =>
        await widgets.GetAsync(id, widgetId, ct) is { } w ? TypedResults.Ok(WidgetView.Of(w, loader.Snippet(request, w.Key))) : TypedResults.NotFound();

    private static async Task<Results<Created<WidgetView>, NotFound>> Create(Guid id, WidgetInput input, WidgetService widgets, WidgetLoader loader,
        HttpRequest request, CancellationToken ct) =>
        await widgets.CreateAsync(id, input, ct) is { } w
            ? TypedResults.Created($"/api/v1/accesses/{id}/widgets/{w.Id}", WidgetView.Of(w, loader.Snippet(request, w.Key))) : TypedResults.NotFound();

    private static async Task<Results<Ok<WidgetView>, NotFound>> Update(Guid id, Guid widgetId, WidgetInput input, WidgetService widgets,
        WidgetLoader loader, HttpRequest request, CancellationToken ct) =>
        await widgets.UpdateAsync(id, widgetId, input, ct) is { } w ? TypedResults.Ok(WidgetView.Of(w, loader.Snippet(request, w.Key))) : TypedResults.NotFound();

    private static async Task<Results<NoContent, NotFound>> Delete(Guid id, Guid widgetId, WidgetService widgets, CancellationToken ct) =>
        await widgets.DeleteAsync(id, widgetId, ct) ? TypedResults.NoContent() : TypedResults.NotFound();
}
