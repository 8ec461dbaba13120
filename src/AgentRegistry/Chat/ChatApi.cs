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
        return await ChatResponder.RespondAsync(chat, turn, input.Stream == true, http, json.Value.SerializerOptions, ct);
    }
}
