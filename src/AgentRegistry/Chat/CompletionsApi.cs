using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentRegistry.Identity;
using AgentRegistry.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;

namespace AgentRegistry.Chat;

/// <summary>
/// OpenAI-compatible <c>POST /v1/chat/completions</c>: <c>model</c> is the agent's slug; the last user message is the
/// question, earlier user/assistant messages the history, system messages extra instructions under the persona.
/// Errors use OpenAI's <c>{"error": {...}}</c> shape, which every OpenAI SDK understands.
/// </summary>
internal static class CompletionsApi
{
    private static readonly JsonSerializerOptions Plain = new(JsonSerializerDefaults.General);

    public static void MapCompletions(this IEndpointRouteBuilder routes) =>
        routes.MapPost("/v1/chat/completions", Complete).WithTags("OpenAI-compatible").RequireAuthorization(Policies.ChatKey)
            .Accepts<JsonObject>("application/json");

    private static async Task<IResult> Complete(HttpContext http, ClaimsPrincipal user, RegistryDb db, PersonaCache personas, ChatService chat,
        CancellationToken ct)
    {
        JsonObject body;
        try
        {
            body = await JsonNode.ParseAsync(http.Request.Body, cancellationToken: ct) as JsonObject ?? throw new JsonException();
        }
        catch (JsonException) { return Error(400, "The body is not a JSON object.", "invalid_request_error", null, "invalid_json"); }

        var slug = (await personas.GetAsync(db, Guid.Parse(user.FindFirstValue(RegistryClaims.AccessId)!), ct)).AgentSlug;
        var model = body["model"] is JsonValue m && m.TryGetValue<string>(out var s) ? s : null;
        if (model is null) return Error(400, "You must provide a model parameter.", "invalid_request_error", "model", null);
        if (model != slug) return Error(404, $"The model '{model}' does not exist or you do not have access to it.", "invalid_request_error", "model", "model_not_found");
        if (Messages(body) is not { Count: > 0 } messages || messages[^1].Role != ChatRole.User)
            return Error(400, "messages must be a non-empty array ending with a user message.", "invalid_request_error", "messages", null);
        var stream = body["stream"] is JsonValue v && v.TryGetValue<bool>(out var b) && b;
        var includeUsage = body["stream_options"]?["include_usage"] is JsonValue iu && iu.TryGetValue<bool>(out var u) && u;

        var request = ChatApi.Request(user, messages[^1].Text, null) with
        {
            History = messages.Take(messages.Count - 1).Where(x => x.Role != ChatRole.System).ToList(),
            ExtraInstructions = messages.Where(x => x.Role == ChatRole.System).Select(x => x.Text).ToList(),
        };
        try
        {
            var turn = await chat.PrepareAsync(request, ct);
            var id = $"chatcmpl-{turn.MessageId:N}";
            var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            if (!stream)
            {
                await chat.CompleteAsync(turn, ct);
                var r = await chat.FinishAsync(turn);
                return Results.Json(new JsonObject
                {
                    ["id"] = id, ["object"] = "chat.completion", ["created"] = created, ["model"] = slug,
                    ["choices"] = new JsonArray(new JsonObject
                    {
                        ["index"] = 0, ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = r.Answer, ["refusal"] = null },
                        ["logprobs"] = null, ["finish_reason"] = "stop",
                    }),
                    ["usage"] = Usage(r.Usage),
                }, Plain);
            }
            return await StreamAsync(http, chat, turn, id, created, slug, includeUsage, ct);
        }
        catch (FieldException e) { return Error(e.Message.Contains("longer", StringComparison.Ordinal) ? 413 : 400, e.Message, "invalid_request_error", "messages", null); }
        catch (RegistryException e) { return Error(e.Status, e.Message, e.Status >= 500 ? "api_error" : "invalid_request_error", null, e.Kind); }
    }

    private static async Task<IResult> StreamAsync(HttpContext http, ChatService chat, ChatTurn turn, string id, long created, string model,
        bool includeUsage, CancellationToken ct)
    {
        JsonObject Chunk(JsonObject delta, string? finish) => new()
        {
            ["id"] = id, ["object"] = "chat.completion.chunk", ["created"] = created, ["model"] = model, ["system_fingerprint"] = null,
            ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["logprobs"] = null, ["finish_reason"] = finish }),
        };

        await using var pieces = chat.StreamAsync(turn, ct).GetAsyncEnumerator(ct);
        var more = await pieces.MoveNextAsync();
        ServerSentEvents.Start(http.Response);
        try
        {
            await Write(http, Chunk(new JsonObject { ["role"] = "assistant", ["content"] = "" }, null), ct);
            while (more)
            {
                await Write(http, Chunk(new JsonObject { ["content"] = pieces.Current }, null), ct);
                more = await pieces.MoveNextAsync();
            }
            var r = await chat.FinishAsync(turn);
            await Write(http, Chunk(new JsonObject(), "stop"), ct);
            if (includeUsage)
                await Write(http, new JsonObject
                {
                    ["id"] = id, ["object"] = "chat.completion.chunk", ["created"] = created, ["model"] = model,
                    ["system_fingerprint"] = null, ["choices"] = new JsonArray(), ["usage"] = Usage(r.Usage),
                }, ct);
        }
        catch (RegistryException e)
        {
            await ServerSentEvents.WriteAsync(http.Response, null, ErrorBody(e.Message, "api_error", null, e.Kind).ToJsonString(), ct);
        }
        await ServerSentEvents.WriteAsync(http.Response, null, "[DONE]", ct);
        return Results.Empty;
    }

    private static Task Write(HttpContext http, JsonObject chunk, CancellationToken ct) =>
        ServerSentEvents.WriteAsync(http.Response, null, chunk.ToJsonString(), ct);

    private static JsonObject Usage(UsageView u) => new()
    {
        ["prompt_tokens"] = u.InputTokens, ["completion_tokens"] = u.OutputTokens, ["total_tokens"] = u.InputTokens + u.OutputTokens,
    };

    /// <summary>The messages as chat messages; content may be a string or an array of text parts. Null when malformed.</summary>
    private static List<ChatMessage>? Messages(JsonObject body)
    {
        if (body["messages"] is not JsonArray array) return null;
        var list = new List<ChatMessage>();
        foreach (var item in array)
        {
            if (item is not JsonObject o || o["role"] is not JsonValue r || !r.TryGetValue<string>(out var role)) return null;
            var text = o["content"] switch
            {
                JsonValue v when v.TryGetValue<string>(out var t) => t,
                JsonArray parts => string.Concat(parts.Select(p => p?["type"]?.GetValue<string>() == "text" ? p["text"]?.GetValue<string>() : null)),
                _ => null,
            };
            if (text is null) return null;
            list.Add(new ChatMessage(role switch
            {
                "user" => ChatRole.User, "assistant" => ChatRole.Assistant, "system" or "developer" => ChatRole.System, _ => ChatRole.Tool,
            }, text));
        }
        return list.Where(m => m.Role != ChatRole.Tool).ToList();
    }

    private static JsonObject ErrorBody(string message, string type, string? param, string? code) => new()
    {
        ["error"] = new JsonObject { ["message"] = message, ["type"] = type, ["param"] = param, ["code"] = code },
    };

    private static IResult Error(int status, string message, string type, string? param, string? code) =>
        Results.Json(ErrorBody(message, type, param, code), Plain, statusCode: status);
}
