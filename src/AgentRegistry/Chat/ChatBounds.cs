using AgentRegistry.Infrastructure;

namespace AgentRegistry.Chat;

/// <summary>
/// The one check of how much text a chat request may carry, for every way in (REST, OpenAI-compatible, widget):
/// each message (the question, earlier turns, system instructions) and the whole request. Over a bound is a 413 naming
/// the field; nothing is tokenized, searched or sent before this check passes.
/// </summary>
public static class ChatBounds
{
    public static void Check(ChatRequest request, ChatSettings settings)
    {
        if (string.IsNullOrWhiteSpace(request.Message)) throw new FieldException("message", "Write a message.");
        // PostgreSQL text cannot hold U+0000, and no language needs it: refused here, before anything is stored.
        if (request.Message.Contains('\0') || (request.History ?? []).Any(m => m.Text?.Contains('\0') == true)
            || (request.ExtraInstructions ?? []).Any(e => e?.Contains('\0') == true))
            throw new FieldException("message", "A message may not contain the NUL character (U+0000).");
        var max = Math.Min(settings.MaxMessageChars, request.MaxMessageChars ?? int.MaxValue);
        if (request.Message.Length > max)
            throw new TooLargeException("message", "message-too-long", $"The message is longer than {max} characters.");

        var history = request.History ?? [];
        var extra = request.ExtraInstructions ?? [];
        if (1 + history.Count + extra.Count > settings.MaxMessages)
            throw new TooLargeException("messages", "request-too-large", $"A request holds at most {settings.MaxMessages} messages.");
        long total = request.Message.Length;
        for (var i = 0; i < history.Count; i++) total += Within(history[i].Text, max, "messages");
        for (var i = 0; i < extra.Count; i++) total += Within(extra[i], max, "messages");
        if (total > settings.MaxRequestChars)
            throw new TooLargeException("messages", "request-too-large", $"The messages of a request hold at most {settings.MaxRequestChars} characters together.");
    }

    private static int Within(string? text, int max, string field) => (text?.Length ?? 0) <= max ? text?.Length ?? 0
        : throw new TooLargeException(field, "message-too-long", $"A message is longer than {max} characters.");
}
