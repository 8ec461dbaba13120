using AgentRegistry.Infrastructure;

namespace AgentRegistry.Chat;

/// <summary>
/// The answer of a prepared chat turn in the registry's own shapes, as one JSON object or as server-sent events (delta
/// events, then done, or an error event): the REST chat API and the widget answer through it. The OpenAI-compatible API
/// answers the same turn in OpenAI's shapes (<see cref="CompletionsApi"/>), through the same event writer.
/// </summary>
public static class ChatResponder
{
    /// <summary>Answers a prepared turn as JSON or as server-sent events.</summary>
    public static async Task<IResult> RespondAsync(ChatService chat, ChatTurn turn, bool stream, HttpContext http,
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
