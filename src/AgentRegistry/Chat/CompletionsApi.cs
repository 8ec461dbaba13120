using AgentRegistry.Infrastructure.RateLimiting;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentRegistry.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

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
        BodyLimit.On(routes.MapPost("/v1/chat/completions", Complete).WithTags("OpenAI-compatible").RequireAuthorization(Policies.ChatKey)
            .RequireRateLimiting(RateLimitPolicies.ApiKey)
            .Accepts<JsonObject>("application/json"), routes.ServiceProvider.GetRequiredService<IOptions<ChatSettings>>().Value.MaxRequestBytes);

    private static async Task<IResult> Complete(HttpContext http, ClaimsPrincipal user, RegistryDb db, PersonaCache personas, ChatService chat,
        CancellationToken ct)
    {
        JsonObject body;
        try
        {
            // Duplicate names and text that is not valid Unicode are refused here: a JsonObject would throw on them later, when read.
            using var document = await JsonDocument.ParseAsync(http.Request.Body, new JsonDocumentOptions { AllowDuplicateProperties = false }, ct);
            if (document.RootElement.ValueKind != JsonValueKind.Object) throw new JsonException();
            if (!JsonText.IsValid(document.RootElement))
                return Error(400, "The body holds text that is not valid Unicode.", "invalid_request_error", null, "invalid_json");
            body = JsonObject.Create(document.RootElement.Clone())!;
        }
        catch (JsonException) { return Error(400, "The body is not a JSON object.", "invalid_request_error", null, "invalid_json"); }
        // The duplicate-name check decodes names while parsing, and throws this for one that is not valid UTF-16.
        catch (InvalidOperationException) { return Error(400, "The body holds text that is not valid Unicode.", "invalid_request_error", null, "invalid_json"); }
        catch (BadHttpRequestException e) when (e.StatusCode == 413)
        {
            return Error(413, "The request body is larger than allowed.", "invalid_request_error", null, "request_too_large");
        }

        var slug = (await personas.GetAsync(db, Guid.Parse(user.FindFirstValue(RegistryClaims.AccessId)!), ct)).AgentSlug;
        var model = Text(body["model"]);
        if (model is null) return Error(400, "You must provide a model parameter.", "invalid_request_error", "model", null);
        if (model != slug) return Error(404, $"The model '{model}' does not exist or you do not have access to it.", "invalid_request_error", "model", "model_not_found");
        if (Messages(body) is not { Count: > 0 } messages || messages[^1].Role != ChatRole.User)
            return Error(400, "messages must be a non-empty array ending with a user message.", "invalid_request_error", "messages", null);
        // Every node is checked for its kind before it is read: a wrong type is the client's error, never a 500.
        if (body["stream"] is { } sn && sn.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
            return Error(400, "stream must be a boolean.", "invalid_request_error", "stream", null);
        if (body["stream_options"] is { } so && so is not JsonObject)
            return Error(400, "stream_options must be an object.", "invalid_request_error", "stream_options", null);
        var stream = body["stream"] is JsonValue v && v.GetValueKind() == JsonValueKind.True;
        var includeUsage = body["stream_options"] is JsonObject options && options["include_usage"] is JsonValue iu && iu.GetValueKind() == JsonValueKind.True;

        var request = ChatApi.Request(user, messages[^1].Text, null) with
        {
            History = messages.Take(messages.Count - 1).Where(x => x.Role != ChatRole.System).ToList(),
            ExtraInstructions = messages.Where(x => x.Role == ChatRole.System).Select(x => x.Text).ToList(),
        };
        try
        {
            var turn = await chat.PrepareAsync(request, ct);
            var id = $"chatcmpl-{turn.MessageId:N}";
            var created = new DateTimeOffset(turn.StartedAt, TimeSpan.Zero).ToUnixTimeSeconds();
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
        catch (TooLargeException e) { return Error(413, e.Message, "invalid_request_error", e.Field, e.Kind); }
        catch (FieldException e) { return Error(400, e.Message, "invalid_request_error", "messages", null); }
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
            if (item is not JsonObject o || Text(o["role"]) is not { } role) return null;
            var text = o["content"] switch
            {
                JsonValue v => Text(v),
                JsonArray parts => Parts(parts),
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

    /// <summary>The text parts of a content array joined; null when a part is not an object or a text part has no string text.</summary>
    private static string? Parts(JsonArray parts)
    {
        var text = new System.Text.StringBuilder();
        foreach (var part in parts)
        {
            if (part is not JsonObject p) return null;
            if (Text(p["type"]) != "text") continue;
            if (Text(p["text"]) is not { } t) return null;
            text.Append(t);
        }
        return text.ToString();
    }

    /// <summary>The string a node holds, or null when it is missing, of another kind, or not valid Unicode (a lone surrogate).</summary>
    private static string? Text(JsonNode? node)
    {
        if (node is not JsonValue v || v.GetValueKind() != JsonValueKind.String) return null;
        try { return v.GetValue<string>(); }
        catch (InvalidOperationException) { return null; }
    }

    private static JsonObject ErrorBody(string message, string type, string? param, string? code) => new()
    {
        ["error"] = new JsonObject { ["message"] = message, ["type"] = type, ["param"] = param, ["code"] = code },
    };

    private static IResult Error(int status, string message, string type, string? param, string? code) =>
        Results.Json(ErrorBody(message, type, param, code), Plain, statusCode: status);
}
