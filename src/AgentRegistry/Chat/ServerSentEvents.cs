using System.Text;
using System.Text.Json;

namespace AgentRegistry.Chat;

/// <summary>Writes <c>text/event-stream</c> by hand, so a failure before the first event can still be a problem-details answer.</summary>
internal static class ServerSentEvents
{
    public static void Start(HttpResponse response)
    {
        response.StatusCode = 200;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
    }

    public static async Task WriteAsync(HttpResponse response, string? eventName, string data, CancellationToken ct)
    {
        var text = new StringBuilder();
        if (eventName is not null) text.Append("event: ").Append(eventName).Append('\n');
        text.Append("data: ").Append(data).Append("\n\n");
        await response.WriteAsync(text.ToString(), ct);
        await response.Body.FlushAsync(ct);
    }

    public static Task WriteJsonAsync<T>(HttpResponse response, string? eventName, T data, JsonSerializerOptions json, CancellationToken ct) =>
        WriteAsync(response, eventName, JsonSerializer.Serialize(data, json), ct);
}
