using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace AgentRegistry.Waldur;

/// <summary>
/// A Waldur webhook body read in either of Waldur's forms: the live one (<c>created, message, context, event_type</c>)
/// or the one in its older documentation (<c>timestamp, message, context, type</c>).
/// </summary>
public sealed record ReceivedEvent(string EventType, string? Created, string? Message, JsonElement Context)
{
    public static bool TryParse(ReadOnlySpan<byte> body, out ReceivedEvent? parsed, out string? problem)
    {
        parsed = null;
        JsonDocument doc;
        try { doc = JsonDocument.Parse(body.ToArray()); }
        catch (JsonException) { problem = "The body is not JSON."; return false; }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) { problem = "The body must be a JSON object."; return false; }
            if (!Infrastructure.JsonText.IsValid(root)) { problem = "The body holds text that is not valid Unicode (bad UTF-8 or a lone surrogate)."; return false; }
            var type = Text(root, "event_type") ?? Text(root, "type");
            if (string.IsNullOrWhiteSpace(type)) { problem = "The event has no event_type."; return false; }
            var context = root.TryGetProperty("context", out var c) ? c : default;
            if (context.ValueKind is not (JsonValueKind.Object or JsonValueKind.Undefined or JsonValueKind.Null))
            {
                problem = "The event's context must be an object.";
                return false;
            }
            var copy = context.ValueKind == JsonValueKind.Object ? context.Clone() : JsonDocument.Parse("{}").RootElement.Clone();
            parsed = new ReceivedEvent(type.Trim(), Text(root, "created") ?? Text(root, "timestamp"), Text(root, "message"), copy);
            problem = null;
            return true;
        }
    }

    /// <summary>The same event delivered again (or to several hooks) has the same key.</summary>
    public string DedupeKey(string? deliveryId) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(
        deliveryId is { Length: > 0 } ? $"id|{deliveryId}" : $"{EventType}|{Created}|{Context.GetRawText()}")));

    /// <summary>A UUID from the context (<c>order_uuid</c>, <c>customer_uuid</c>, ...), hex or dashed.</summary>
    public Guid? Uuid(string key) =>
        Context.ValueKind == JsonValueKind.Object && Context.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String
            && Guid.TryParse(v.GetString(), out var g) ? g : null;

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var v) ? v.ValueKind == JsonValueKind.String ? v.GetString() : v.ValueKind == JsonValueKind.Number ? v.GetRawText() : null : null;
}
