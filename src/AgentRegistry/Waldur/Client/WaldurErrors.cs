using System.Net;
using System.Text.Json;

namespace AgentRegistry.Waldur.Client;

/// <summary>Turns Waldur's DRF-shaped error bodies and transport failures into <see cref="WaldurApiException"/>.</summary>
internal static class WaldurErrors
{
    private const int MaxBodyChars = 2000;

    public static WaldurApiException FromResponse(string method, string path, HttpStatusCode status, string body, string? token)
    {
        var (detail, fields) = Parse(body);
        detail = Sanitise(detail, token);
        var sanitisedFields = fields.ToDictionary(f => f.Key, f => (IReadOnlyList<string>)f.Value.Select(v => Sanitise(v, token)!).ToList());
        // Sanitise before truncating, so that no cut-off prefix of the token survives.
        var summary = Truncate(detail
            ?? (sanitisedFields.Count > 0 ? string.Join("; ", sanitisedFields.Select(f => $"{f.Key}: {string.Join(" ", f.Value)}")) : null)
            ?? Sanitise(body, token)!);
        var message = $"Waldur {method} {path} answered {(int)status} {status}" + (string.IsNullOrWhiteSpace(summary) ? "." : $": {summary}");
        return new WaldurApiException(message, status, WaldurApiException.IsTransientStatus(status), detail, sanitisedFields);
    }

    public static WaldurApiException Transport(string method, string path, string what, Exception inner, string? token) =>
        new(Sanitise($"Waldur {method} {path} {what}: {inner.Message}", token)!, (inner as HttpRequestException)?.StatusCode,
            isTransient: true, innerException: inner);

    public static WaldurApiException Unreadable(string method, string path, Exception inner, string? token) =>
        new(Sanitise($"Waldur {method} {path} answered with a body the client cannot read: {inner.Message}", token)!, null,
            isTransient: false, innerException: inner);

    /// <summary>Waldur answers <c>{"detail": "..."}</c>, <c>{"field": ["..."]}</c> or <c>["..."]</c>.</summary>
    private static (string? Detail, Dictionary<string, List<string>> Fields) Parse(string body)
    {
        var fields = new Dictionary<string, List<string>>();
        if (string.IsNullOrWhiteSpace(body)) return (null, fields);
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            if (root.ValueKind == JsonValueKind.Array) return (string.Join(" ", Texts(root)), fields);
            if (root.ValueKind != JsonValueKind.Object) return (null, fields);
            string? detail = null;
            foreach (var property in root.EnumerateObject())
            {
                if (property.Name == "detail" && property.Value.ValueKind == JsonValueKind.String) detail = property.Value.GetString();
                else fields[property.Name] = Texts(property.Value).ToList();
            }
            return (detail, fields);
        }
        catch (JsonException)
        {
            return (null, fields);
        }
    }

    private static IEnumerable<string> Texts(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Array => value.EnumerateArray().SelectMany(Texts),
        JsonValueKind.String => [value.GetString()!],
        _ => [value.GetRawText()],
    };

    private static string Truncate(string text) => text.Length <= MaxBodyChars ? text : text[..MaxBodyChars] + "…";

    /// <summary>Waldur may echo what it got; whatever it echoes, the token never leaves in a message.</summary>
    public static string? Sanitise(string? text, string? token) =>
        text is null || string.IsNullOrEmpty(token) ? text : text.Replace(token, "***", StringComparison.Ordinal);
}
