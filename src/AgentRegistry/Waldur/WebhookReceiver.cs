using AgentRegistry.Infrastructure.RateLimiting;
using AgentRegistry.Infrastructure;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AgentRegistry.Waldur;

public sealed record WebhookReceipt(long Id, string EventType, bool Duplicate);

/// <summary>
/// <c>POST /webhooks/waldur/{order|customer|project}/</c>: checks the delivery, stores it durably, then answers 202.
/// Any event on any of the three is routed by its event_type; processing happens in <see cref="WebhookInbox"/>.
/// </summary>
internal static class WebhookReceiver
{
    private static readonly string[] Endpoints = ["order", "customer", "project"];

    public static IEndpointRouteBuilder MapWaldurWebhooks(this IEndpointRouteBuilder routes)
    {
        // Limited per client address before the body is read: bounds how fast anyone can make the registry store events.
        var webhooks = routes.MapGroup("/webhooks/waldur").RequireRateLimiting(RateLimitPolicies.Webhooks);
        foreach (var endpoint in Endpoints)
            webhooks.MapPost($"/{endpoint}/", (HttpContext http, WebhookIntake intake, WebhookGuard guard, WebhookInbox inbox,
                    IOptionsMonitor<WebhookOptions> options, TimeProvider clock, CancellationToken ct) =>
                    Counted(endpoint, Receive(endpoint, http, intake, guard, inbox, options.CurrentValue, clock, ct)))
                .WithTags("Waldur webhooks")
                .AllowAnonymous()
                .DisableAntiforgery();
        return routes;
    }

    private static async Task<IResult> Counted(string endpoint, Task<IResult> receiving)
    {
        var result = await receiving;
        WaldurMetrics.WebhookReceived(endpoint, result switch
        {
            Accepted<WebhookReceipt> { Value.Duplicate: true } => "duplicate",
            Accepted<WebhookReceipt> => "stored",
            _ => "rejected",
        });
        return result;
    }

    private static async Task<IResult> Receive(string endpoint, HttpContext http, WebhookIntake intake, WebhookGuard guard,
        WebhookInbox inbox, WebhookOptions options, TimeProvider clock, CancellationToken ct)
    {
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = options.MaxBodyBytes;
        if (http.Request.ContentLength > options.MaxBodyBytes) return TooLarge();
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > options.MaxBodyBytes) return TooLarge();
            buffer.Write(chunk, 0, read);
        }
        var body = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);

        switch (guard.Check(http, body.Span))
        {
            case WebhookRejection.Unprotected:
                return Problems.Result(403, "webhook-unprotected",
                    "Webhooks are refused: no token, network or signing secret is configured (Waldur:Webhooks:Token, AllowedNetworks, SigningSecrets).");
            case WebhookRejection.AddressNotAllowed: return Problems.Result(403, "webhook-address-not-allowed", "This address may not deliver webhooks.");
            case WebhookRejection.BadToken: return Problems.Result(401, "webhook-token", "The webhook token is missing or wrong.");
            case WebhookRejection.BadSignature: return Problems.Result(401, "webhook-signature", "The webhook signature is missing or does not match.");
            case WebhookRejection.StaleTimestamp: return Problems.Result(401, "webhook-timestamp", "The webhook timestamp is outside the tolerance.");
        }

        if (!ReceivedEvent.TryParse(body.Span, out var parsed, out var problem))
            return Problems.Result(400, "webhook-malformed", problem!);

        // Received and due by the registry's clock, the one the inbox and its health check read.
        var now = clock.GetUtcNow().UtcDateTime;
        // Stored (with the deliveries arriving meanwhile, in one commit) before it is acknowledged; a delivery already
        // stored, or racing its twin, is answered as a duplicate by the unique key.
        var receipt = await intake.WriteAsync(new WebhookEvent
        {
            ReceivedAt = now, NextAttemptAt = now, Endpoint = endpoint, EventType = parsed!.EventType[..Math.Min(parsed.EventType.Length, 100)],
            DedupeKey = parsed.DedupeKey(http.Request.Headers["webhook-id"]), Payload = System.Text.Encoding.UTF8.GetString(body.Span),
        });
        if (!receipt.Duplicate) inbox.Wake();
        return TypedResults.Accepted((string?)null, receipt with { EventType = parsed.EventType });
    }

    private static IResult TooLarge() => Problems.Result(413, "payload-too-large", "The webhook body is larger than allowed.");
}
