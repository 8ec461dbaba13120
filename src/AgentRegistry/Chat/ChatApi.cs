using AgentRegistry.Infrastructure.RateLimiting;
using System.Security.Claims;
using AgentRegistry.Infrastructure;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace AgentRegistry.Chat;

public sealed record ChatInput(string? Message, Guid? ConversationId, bool? Stream);

public sealed record ChatOutput(Guid ConversationId, Guid MessageId, string Answer, IReadOnlyList<CitationView> Citations, UsageView Usage);

public sealed record ChatDone(Guid ConversationId, Guid MessageId, IReadOnlyList<CitationView> Citations, UsageView Usage);

internal static class ChatApi
{
    public static void MapChatApi(this IEndpointRouteBuilder routes) =>
        BodyLimit.On(routes.MapPost("/api/v1/chat", Chat).WithTags("Chat").RequireAuthorization(Policies.ChatKey).RequireRateLimiting(RateLimitPolicies.ApiKey)
            .Produces<ChatOutput>(contentType: "application/json").Produces(200, contentType: "text/event-stream"),
            routes.ServiceProvider.GetRequiredService<IOptions<ChatSettings>>().Value.MaxRequestBytes);

    internal static ChatRequest Request(ClaimsPrincipal user, string? message, Guid? conversationId) => new(
        Guid.Parse(user.FindFirstValue(RegistryClaims.AccessId)!),
        Guid.TryParse(user.FindFirstValue(RegistryClaims.ApiKeyId), out var key) ? key : null, null, message ?? "", conversationId);

    private static async Task<IResult> Chat(ChatInput input, ClaimsPrincipal user, ChatService chat, HttpContext http,
        IOptions<JsonOptions> json, CancellationToken ct)
    {
        var turn = await chat.PrepareAsync(Request(user, input.Message, input.ConversationId), ct);
        return await RespondAsync(chat, turn, input.Stream == true, http, json.Value.SerializerOptions, ct);
    }

    /// <summary>Answers a prepared turn as JSON or as server-sent events; shared with the widget.</summary>
    internal static async Task<IResult> RespondAsync(ChatService chat, ChatTurn turn, bool stream, HttpContext http,
        System.Text.Json.JsonSerializerOptions o, CancellationToken ct)
    {
        if (!stream)
        {
            await chat.CompleteAsync(turn, ct);
            var r = await chat.FinishAsync(turn);
            return TypedResults.Ok(new ChatOutput(r.ConversationId, r.MessageId, r.Answer, r.Citations, r.Usage));
        }

        await using var pieces = chat.StreamAsync(turn, ct).GetAsyncEnumerator(ct);
        // The first piece comes before the headers: a provider that fails at once still gets a problem-details answer.
        var more = await pieces.MoveNextAsync();
        ServerSentEvents.Start(http.Response);
        try
        {
            while (more)
            {
                await ServerSentEvents.WriteJsonAsync(http.Response, "delta", new { text = pieces.Current }, o, ct);
                more = await pieces.MoveNextAsync();
            }
            var r = await chat.FinishAsync(turn);
            await ServerSentEvents.WriteJsonAsync(http.Response, "done", new ChatDone(r.ConversationId, r.MessageId, r.Citations, r.Usage), o, ct);
        }
        catch (RegistryException e)
        {
            await ServerSentEvents.WriteJsonAsync(http.Response, "error",
                new { type = Problems.Type(e.Kind), title = e.Message, status = e.Status }, o, ct);
        }
        return Results.Empty;
    }
}
