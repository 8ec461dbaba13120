using System.Net;
using System.Security.Cryptography;
using AgentRegistry.Access;
using AgentRegistry.Chat;
using AgentRegistry.Infrastructure;
using AgentRegistry.Infrastructure.RateLimiting;
using Microsoft.AspNetCore.Http.Json;
using FromQueryAttribute = Microsoft.AspNetCore.Mvc.FromQueryAttribute;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AgentRegistry.Widget;

public sealed record WidgetMessageInput(string? Message, Guid? ConversationId, bool? Stream);

public sealed record WidgetTexts(string Title, string? AvatarUrl, string WelcomeMessage, IReadOnlyList<string> SuggestedQuestions,
    string Placeholder, bool AutoOpen);

public sealed record WidgetInit(string VisitorToken, DateTimeOffset ExpiresAt, WidgetTheme Theme, WidgetTexts Texts);

public sealed record ThreadMessage(Guid Id, string Role, string Content, DateTime CreatedAt);

public sealed record WidgetThread(Guid Id, string Title, IReadOnlyList<ThreadMessage> Messages);

/// <summary>
/// The routes a visitor's browser calls. No global CORS: <see cref="WidgetCors"/> grants the calling origin on every
/// answer (errors included) only when the widget allows it, and a refused origin gets no grant at all.
/// </summary>
internal static class WidgetPublicApi
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/widget.js", (HttpContext http, WidgetLoader loader) => loader.Serve(http)).WithTags("Widget (public)");
        var api = routes.MapGroup("/api/widget/v1/{widgetKey}").WithTags("Widget (public)").AllowAnonymous()
            .WithMetadata(new OnRateLimited(() => WidgetMetrics.Refused("rate-limited")));
        api.MapGet("/init", Init).RequireRateLimiting(RateLimitPolicies.WidgetInit);
        BodyLimit.On(api.MapPost("/messages", Messages), routes.ServiceProvider.GetRequiredService<IOptions<ChatSettings>>().Value.MaxRequestBytes)
            .RequireRateLimiting(RateLimitPolicies.WidgetMessages);
        api.MapGet("/conversations/{id:guid}", Thread);
        api.MapMethods("/{**rest}", [HttpMethods.Options], Preflight);
        routes.MapGet("/widget/{widgetKey}/preview", WidgetPreview.Page).WithTags("Widget").RequireAuthorization(Policies.Person);
    }

    /// <summary>
    /// The enabled widget of an active access, with the data layer narrowed to the widget's tenant; looked up once per
    /// request (the CORS middleware and the endpoint share it).
    /// </summary>
    internal static async Task<ChatWidget?> FindAsync(HttpContext http, RegistryDb db, string widgetKey, CancellationToken ct)
    {
        if (http.Items.TryGetValue(typeof(ChatWidget), out var found) && found is ValueTuple<string, ChatWidget?> known && known.Item1 == widgetKey)
            return known.Item2;
        var widget = await FindAsync(db, widgetKey, http.RequestServices, ct);
        http.Items[typeof(ChatWidget)] = (widgetKey, widget);
        return widget;
    }

    private static async Task<ChatWidget?> FindAsync(RegistryDb db, string widgetKey, IServiceProvider services, CancellationToken ct)
    {
        if (!widgetKey.StartsWith("wk_", StringComparison.Ordinal) || widgetKey.Length > 40) return null;
        if (await services.GetRequiredService<WidgetDirectory>().FindAsync(db, widgetKey, ct) is not { Widget.Enabled: true } found) return null;
        // The access's standing decides, as for its keys: a blocked tenant or an ended project serves no visitor.
        if (found.Standing.StopAt(services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime) is not null) return null;
        db.Caller.AsTenant(found.Widget.TenantId, $"widget:{found.Widget.Key}");
        return found.Widget;
    }

    /// <summary>The visitor of the request's bearer token (signature and expiry checked), read once per request.</summary>
    internal static Visitor? BearerVisitor(HttpContext http)
    {
        if (http.Items.TryGetValue(typeof(Visitor), out var known)) return known as Visitor;
        var bearer = http.Request.Headers.Authorization.ToString();
        var visitor = bearer.StartsWith("Bearer ", StringComparison.Ordinal)
            ? http.RequestServices.GetRequiredService<VisitorTokens>().Read(bearer[7..]) : null;
        http.Items[typeof(Visitor)] = visitor;
        return visitor;
    }

    internal static string? Origin(HttpRequest request) => request.Headers.Origin is [{ Length: > 0 } o] ? o : null;

    private static string OwnOrigin(HttpRequest request) => WidgetOrigins.Normalize($"{request.Scheme}://{request.Host}") ?? "";

    /// <summary>A listed origin; or, for a preview session, the registry's own origin (or none: same-origin GETs send none).</summary>
    private static bool Allowed(HttpRequest request, ChatWidget widget, bool preview)
    {
        var origin = Origin(request);
        if (preview && (origin is null || WidgetOrigins.Normalize(origin) == OwnOrigin(request))) return true;
        return WidgetOrigins.Allows(widget.AllowedOrigins, origin);
    }

    private static IResult Unknown() => Refusal(404, "widget-not-found", "No enabled widget has this key.");
    private static IResult Refused() => Refusal(403, "origin-not-allowed", "This widget may not be used from this origin.");

    private static IResult Refusal(int status, string kind, string title)
    {
        WidgetMetrics.Refused(kind);
        return Problems.Result(status, kind, title);
    }

    private static async Task<IResult> Preflight(string widgetKey, HttpContext http, RegistryDb db, CancellationToken ct)
    {
        if (await FindAsync(http, db, widgetKey, ct) is not { } widget) return Unknown();
        if (!WidgetOrigins.Allows(widget.AllowedOrigins, Origin(http.Request))) return Refused();
        var h = http.Response.Headers;
        h.AccessControlAllowMethods = "GET, POST";
        h.AccessControlAllowHeaders = "authorization, content-type, x-visitor-token";
        h.AccessControlMaxAge = "600";
        return Results.NoContent();
    }

    private static async Task<IResult> Init(string widgetKey, string? preview, [FromQuery(Name = "user_id")] string? userId,
        [FromQuery(Name = "user_hash")] string? userHash, HttpContext http,
        RegistryDb db, VisitorTokens tokens, IdentitySecrets secrets, CancellationToken ct)
    {
        if (await FindAsync(http, db, widgetKey, ct) is not { } widget) return Unknown();
        var ticket = tokens.Read(preview);
        var isPreview = ticket is { Preview: true } && ticket.WidgetId == widget.Id;
        if (!Allowed(http.Request, widget, isPreview)) return Refused();
        http.Response.Headers.CacheControl = "no-store";

        // A returning visitor keeps their id (and so their threads) when they show a token we signed, even a lapsed one.
        var earlier = tokens.Read(http.Request.Headers["X-Visitor-Token"].ToString(), TimeSpan.FromDays(30));
        var visitorId = isPreview ? ticket!.VisitorId
            : earlier is not null && earlier.WidgetId == widget.Id && !earlier.Preview ? earlier.VisitorId
            : "v_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        if (userId is { Length: > 0 } && widget.IdentitySecret is { } sealedSecret && !isPreview)
        {
            if (userId.Length > 150 || userHash is null || secrets.Open(sealedSecret) is not { } secret
                || !VisitorTokens.VerifyUser(secret, userId, userHash))
                return Refusal(401, "identity-not-verified", "The user_hash does not match the user_id.");
            visitorId = "u_" + userId;
        }
        var token = tokens.Issue(widget.Id, visitorId, isPreview, out var expires);
        return TypedResults.Ok(new WidgetInit(token, expires, WidgetView.ThemeOf(widget), new WidgetTexts(widget.Title, widget.AvatarUrl,
            widget.WelcomeMessage, widget.SuggestedQuestions, widget.Placeholder, widget.AutoOpen)));
    }

    /// <summary>The widget and the visitor, or the problem to answer.</summary>
    private static async Task<(ChatWidget? Widget, Visitor? Visitor, IResult? Problem)> AuthorizeAsync(string widgetKey, HttpContext http,
        RegistryDb db, CancellationToken ct)
    {
        if (await FindAsync(http, db, widgetKey, ct) is not { } widget) return (null, null, Unknown());
        var visitor = BearerVisitor(http);
        if (visitor is not null && visitor.WidgetId != widget.Id) visitor = null;
        if (!Allowed(http.Request, widget, visitor?.Preview == true)) return (null, null, Refused());
        if (visitor is null)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return (null, null, Refusal(401, "invalid-visitor-token", "The visitor token is missing, forged or expired; call init again."));
        }
        return (widget, visitor, null);
    }

    private static async Task<IResult> Messages(string widgetKey, WidgetMessageInput input, HttpContext http, RegistryDb db,
        ChatService chat, IOptions<WidgetOptions> options, IOptions<JsonOptions> json, CancellationToken ct)
    {
        var (widget, visitor, problem) = await AuthorizeAsync(widgetKey, http, db, ct);
        if (problem is not null) return problem;
        var turn = await chat.PrepareAsync(new ChatRequest(widget!.AccessId, null, widget.Id, input.Message ?? "", input.ConversationId,
            VisitorId: visitor!.VisitorId, MaxMessageChars: options.Value.MaxMessageChars), ct);
        WidgetMetrics.Message();
        return await ChatResponder.RespondAsync(chat, turn, input.Stream == true, http, json.Value.SerializerOptions, ct);
    }

    private static async Task<IResult> Thread(string widgetKey, Guid id, HttpContext http, RegistryDb db, CancellationToken ct)
    {
        var (widget, visitor, problem) = await AuthorizeAsync(widgetKey, http, db, ct);
        if (problem is not null) return problem;
        http.Response.Headers.CacheControl = "no-store";
        var conversation = await db.Conversations.AsNoTracking()
            .FirstOrDefaultAsync(c => c.Id == id && c.WidgetId == widget!.Id && c.VisitorId == visitor!.VisitorId, ct);
        if (conversation is null) return Problems.Result(404, "not-found", "The conversation was not found.");
        var messages = await db.Messages.AsNoTracking().Where(m => m.ConversationId == id).OrderBy(m => m.CreatedAt)
            .Select(m => new ThreadMessage(m.Id, m.Role, m.Content, m.CreatedAt)).ToListAsync(ct);
        return TypedResults.Ok(new WidgetThread(conversation.Id, conversation.Title, messages));
    }
}
