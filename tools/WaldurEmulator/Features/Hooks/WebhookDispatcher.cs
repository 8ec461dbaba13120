using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace WaldurEmulator.Features.Hooks;

internal sealed record WebhookDelivery(
    string HookUuid, string DestinationUrl, string ContentType, string EventType, JsonObject Payload);

internal sealed record DeliveryAttempt(
    string HookUuid, string DestinationUrl, string EventType, JsonObject Payload, int? StatusCode, string? Error,
    DateTimeOffset AttemptedAt);

/// <summary>
/// Posts webhooks one at a time, in the order the events happened, like WebHook.process: no auth header,
/// no signature, response status ignored, no retry.
/// </summary>
internal sealed class WebhookDispatcher(IOptions<EmulatorOptions> options, TimeProvider time, ILogger<WebhookDispatcher> logger)
    : BackgroundService
{
    private readonly Channel<WebhookDelivery> queue = Channel.CreateUnbounded<WebhookDelivery>(new() { SingleReader = true });
    private readonly HttpClient http = new(new SocketsHttpHandler { UseProxy = false })
    {
        Timeout = TimeSpan.FromSeconds(options.Value.WebhookTimeoutSeconds),
    };
    private readonly List<DeliveryAttempt> attempts = [];
    private int pending;

    public void Enqueue(WebhookDelivery delivery)
    {
        Interlocked.Increment(ref pending);
        queue.Writer.TryWrite(delivery);
    }

    public IReadOnlyList<DeliveryAttempt> Attempts()
    {
        lock (attempts) return [.. attempts];
    }

    public void ClearAttempts()
    {
        lock (attempts) attempts.Clear();
    }

    /// <summary>Waits until every queued delivery has been attempted; false on timeout.</summary>
    public async Task<bool> WaitIdleAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + timeout;
        while (Volatile.Read(ref pending) > 0)
        {
            if (time.GetUtcNow() > deadline) return false;
            await Task.Delay(10, cancellationToken);
        }
        return true;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var delivery in queue.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                var attempt = await SendAsync(delivery, stoppingToken);
                lock (attempts) attempts.Add(attempt);
            }
            finally
            {
                Interlocked.Decrement(ref pending);
            }
        }
    }

    private async Task<DeliveryAttempt> SendAsync(WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        int? status = null;
        string? error = null;
        try
        {
            using var response = await http.PostAsync(delivery.DestinationUrl, Content(delivery), cancellationToken);
            status = (int)response.StatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException)
        {
            error = e.Message;
            logger.LogInformation("Webhook {EventType} to {Url} failed: {Error}", delivery.EventType, delivery.DestinationUrl, e.Message);
        }
        return new DeliveryAttempt(delivery.HookUuid, delivery.DestinationUrl, delivery.EventType, delivery.Payload,
            status, error, time.GetUtcNow());
    }

    /// <summary>json: the event as JSON. form: top-level fields form-encoded, the context as a JSON string.</summary>
    private static HttpContent Content(WebhookDelivery delivery) => delivery.ContentType == "form"
        ? new FormUrlEncodedContent(delivery.Payload.Select(p => KeyValuePair.Create(p.Key,
            p.Value is JsonValue v && v.TryGetValue<string>(out var s) ? s : p.Value?.ToJsonString() ?? "")))
        : new StringContent(delivery.Payload.ToJsonString(), Encoding.UTF8, "application/json");

    public override void Dispose()
    {
        http.Dispose();
        base.Dispose();
    }
}
