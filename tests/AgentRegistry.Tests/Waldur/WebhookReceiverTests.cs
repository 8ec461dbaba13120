using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using AgentRegistry.Infrastructure;
using AgentRegistry.Tests.Infrastructure;
using AgentRegistry.Waldur;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentRegistry.Tests.Waldur;

/// <summary>What the receiver does with bodies, on an unprotected receiver.</summary>
public abstract class WebhookReceiverTests(RegistryApp app) : RegistryTest(app)
{
    private static long _sent;

    /// <summary>An event as Waldur sends it; "created" differs per event (it is part of the event's identity), never today's date.</summary>
    internal static string LiveEvent(string type, string context) =>
        $$"""{"created": "{{TestDates.MonthEnd.AddTicks(Interlocked.Increment(ref _sent) * 10):O}}", "message": "test", "context": {{context}}, "event_type": "{{type}}"}""";

    private Task<HttpResponseMessage> Post(string body, string endpoint = "order") =>
        App.Anonymous().PostAsync($"/webhooks/waldur/{endpoint}/", new StringContent(body, Encoding.UTF8, "application/json"));

    [Fact]
    public async Task LiveAndDocumentedFormsAreStoredAndAcknowledged()
    {
        var live = await Post(LiveEvent("custom_live_event", $$"""{"order_uuid": "{{Guid.NewGuid():N}}"}""")).Json200(202);
        Assert.False((bool)live["duplicate"]!);
        var stale = await Post($$"""{"timestamp": 1738658234, "message": "x", "context": {}, "type": "custom_documented_event", "levelname": "INFO"}""", "customer").Json200(202);
        Assert.Equal("custom_documented_event", (string?)stale["event_type"]);

        var stored = await Events(e => e.EventType == "custom_live_event" || e.EventType == "custom_documented_event");
        Assert.Equal(2, stored.Count);
    }

    [Fact]
    public async Task SameEventTwiceIsStoredOnce()
    {
        var body = LiveEvent("dup_event", $$"""{"customer_uuid": "{{Guid.NewGuid():N}}"}""");
        var first = await Post(body, "customer").Json200(202);
        var second = await Post(body, "project").Json200(202);
        Assert.True((bool)second["duplicate"]!);
        Assert.Equal((long)first["id"]!, (long)second["id"]!);
        Assert.Single(await Events(e => e.Id == (long)first["id"]!));
    }

    [Fact]
    public async Task DeliveriesArrivingTogetherShareOneCommitAndTwinsAreStoredOnce()
    {
        var intake = App.Services.GetRequiredService<WebhookIntake>();
        var (batches, commits) = (intake.Batches, intake.Commits);
        var twin = LiveEvent("batched_event", $$"""{"order_uuid": "{{Guid.NewGuid():N}}"}""");
        var bodies = Enumerable.Range(0, 8).Select(_ => LiveEvent("batched_event", $$"""{"order_uuid": "{{Guid.NewGuid():N}}"}"""))
            .Append(twin).Append(twin).ToList();
        Task<System.Text.Json.Nodes.JsonNode>[] posted;
        using (await intake.HoldAsync())
        {
            posted = bodies.Select(b => Post(b).Json200(202)).ToArray();
            for (var i = 0; intake.Waiting < bodies.Count; i++)
            {
                Assert.True(i < 3000, $"The deliveries were never queued (now {intake.Waiting}).");
                await Task.Delay(20, TestContext.Current.CancellationToken);
            }
        }
        var receipts = await Task.WhenAll(posted);
        Assert.Equal(batches + 1, intake.Batches);
        Assert.Equal(commits + 1, intake.Commits);
        // The twins: one stored, the other answered as its duplicate with the same id.
        var twins = receipts[^2..];
        Assert.Equal(1, twins.Count(r => !(bool)r["duplicate"]!));
        Assert.Equal((long)twins[0]["id"]!, (long)twins[1]["id"]!);
        Assert.All(receipts[..^2], r => Assert.False((bool)r["duplicate"]!));
        var ids = receipts.Select(r => (long)r["id"]!).ToHashSet();
        Assert.Equal(9, ids.Count);
        var stored = await Events(e => ids.Contains(e.Id));
        Assert.Equal(9, stored.Count);
    }

    [Fact]
    public async Task BadBodiesAreRefusedAndNothingIsStored()
    {
        var before = (await Events(_ => true)).Count;
        await Post("{not json").Problem(400, "webhook-malformed");
        await Post("""{"context": {}, "message": "no type"}""").Problem(400, "webhook-malformed");
        await Post("""["an", "array"]""").Problem(400, "webhook-malformed");
        await Post("""{"event_type": "x", "context": "not an object"}""").Problem(400, "webhook-malformed");
        var huge = LiveEvent("huge", $$"""{"blob": "{{new string('x', 5 * 1024 * 1024)}}"}""");
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/waldur/order/") { Content = new StringContent(huge, Encoding.UTF8, "application/json") };
        request.Headers.ExpectContinue = true;
        await App.Anonymous().SendAsync(request).Problem(413, "payload-too-large");
        Assert.Equal(before, (await Events(_ => true)).Count);
    }

    [Fact]
    public async Task UnknownEventTypesAreStoredThenIgnored()
    {
        var receipt = await Post(LiveEvent("something_waldur_added_later", "{}")).Json200(202);
        var id = (long)receipt["id"]!;
        var deadline = Deadline.InSeconds(60);
        WebhookEvent? stored = null;
        while (deadline.Open)
        {
            stored = (await Events(e => e.Id == id)).Single();
            if (stored.Status != WebhookEventStatus.Pending) break;
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
        Assert.Equal(WebhookEventStatus.Ignored, stored!.Status);
    }

    private async Task<List<WebhookEvent>> Events(System.Linq.Expressions.Expression<Func<WebhookEvent, bool>> where)
    {
        await using var scope = App.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<Caller>().AsSystem();
        return await scope.ServiceProvider.GetRequiredService<RegistryDb>().WebhookEvents.AsNoTracking().Where(where).ToListAsync();
    }
}

public sealed class WebhookReceiverOnSqlite(RegistryApp<Sqlite> app) : WebhookReceiverTests(app), IClassFixture<RegistryApp<Sqlite>>;

public sealed class WebhookReceiverOnPostgres(RegistryApp<Postgres> app) : WebhookReceiverTests(app), IClassFixture<RegistryApp<Postgres>>;

/// <summary>Token, address allowlist behind a trusted proxy, and Standard Webhooks signatures, all at once.</summary>
public abstract class WebhookSecurityTests(RegistryApp app) : RegistryTest(app)
{
    internal const string Token = "hook-token-for-tests";
    internal static readonly string OldSecret = "whsec_" + Convert.ToBase64String(Encoding.UTF8.GetBytes("old-signing-secret-0123456789"));
    internal static readonly string NewSecret = "whsec_" + Convert.ToBase64String(Encoding.UTF8.GetBytes("new-signing-secret-0123456789"));

    internal static void Protect(IDictionary<string, string?> settings)
    {
        settings["Waldur:Webhooks:Token"] = Token;
        settings["Waldur:Webhooks:AllowedNetworks:0"] = "127.0.0.0/8";
        settings["Waldur:Webhooks:SigningSecrets:0"] = NewSecret;
        settings["Waldur:Webhooks:SigningSecrets:1"] = OldSecret;
        settings["ReverseProxy:KnownNetworks:0"] = "127.0.0.1";
    }

    private async Task<HttpResponseMessage> Send(string body, string? token = Token, string? secret = null, long? timestamp = null,
        string? forwardedFor = null, string? signatureOverride = null, bool tokenInQuery = false)
    {
        var id = $"msg_{Guid.NewGuid():N}";
        var ts = (timestamp ?? App.Clock.GetUtcNow().ToUnixTimeSeconds()).ToString();
        var url = "/webhooks/waldur/order/" + (tokenInQuery && token is not null ? $"?token={token}" : "");
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (token is not null && !tokenInQuery) request.Headers.Add("X-Webhook-Token", token);
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", ts);
        var signature = secret is null ? "v1,AAAA" : Sign(secret, id, ts, body);
        request.Headers.Add("webhook-signature", signatureOverride ?? signature);
        if (forwardedFor is not null) request.Headers.Add("X-Forwarded-For", forwardedFor);
        return await App.Anonymous().SendAsync(request);
    }

    internal static string Sign(string secret, string id, string timestamp, string body) =>
        "v1," + Convert.ToBase64String(HMACSHA256.HashData(WebhookGuard.SecretBytes(secret), Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}")));

    private static string Body() => WebhookReceiverTests.LiveEvent("secured_event", $$"""{"n": "{{Guid.NewGuid():N}}"}""");

    [Fact]
    public async Task DeliveryPassingEveryCheckIsAccepted()
    {
        var before = await Count();
        await AcceptedAndStoredAsync(Send(Body(), secret: NewSecret));
        await AcceptedAndStoredAsync(Send(Body(), secret: NewSecret, tokenInQuery: true));
        Assert.Equal(before + 2, await Count());
    }

    /// <summary>A 202 whose receipt names a stored event of the same type.</summary>
    private async Task AcceptedAndStoredAsync(Task<HttpResponseMessage> delivery)
    {
        var receipt = await delivery.Json200(202);
        Assert.False((bool)receipt["duplicate"]!);
        await using var scope = App.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<Caller>().AsSystem();
        var stored = await scope.ServiceProvider.GetRequiredService<RegistryDb>().WebhookEvents.AsNoTracking().SingleAsync(e => e.Id == (long)receipt["id"]!);
        Assert.Equal("secured_event", stored.EventType);
    }

    [Fact]
    public async Task SignatureFromTheRotatedOutSecretStillCounts()
    {
        await AcceptedAndStoredAsync(Send(Body(), secret: OldSecret));
        var body = Body();
        var id = $"msg_{Guid.NewGuid():N}";
        var ts = App.Clock.GetUtcNow().ToUnixTimeSeconds().ToString();
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/waldur/order/") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Webhook-Token", Token);
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", ts);
        request.Headers.Add("webhook-signature", $"v1,bm90IGl0 {Sign(NewSecret, id, ts, body)}");
        await AcceptedAndStoredAsync(App.Anonymous().SendAsync(request));
    }

    [Fact]
    public async Task EachFailedCheckIsRefusedAndNothingIsStored()
    {
        var before = await Count();
        await Send(Body(), token: "wrong", secret: NewSecret).Problem(401, "webhook-token");
        await Send(Body(), token: null, secret: NewSecret).Problem(401, "webhook-token");
        await Send(Body(), secret: null).Problem(401, "webhook-signature");
        await Send(Body(), secret: "whsec_" + Convert.ToBase64String(Encoding.UTF8.GetBytes("someone-else"))).Problem(401, "webhook-signature");
        await Send(Body(), secret: NewSecret, timestamp: App.Clock.GetUtcNow().AddMinutes(-6).ToUnixTimeSeconds()).Problem(401, "webhook-timestamp");
        // Behind the trusted proxy the client is the forwarded address, which is not on the allowlist.
        await Send(Body(), secret: NewSecret, forwardedFor: "203.0.113.7").Problem(403, "webhook-address-not-allowed");
        Assert.Equal(before, await Count());
    }

    [Fact]
    public async Task TamperedBodyFailsTheSignature()
    {
        var body = Body();
        var id = "msg_fixed";
        var ts = App.Clock.GetUtcNow().ToUnixTimeSeconds().ToString();
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/waldur/order/") { Content = new StringContent(body.Replace("test", "evil"), Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Webhook-Token", Token);
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", ts);
        request.Headers.Add("webhook-signature", Sign(NewSecret, id, ts, body));
        var before = await Count();
        await App.Anonymous().SendAsync(request).Problem(401, "webhook-signature");
        Assert.Equal(before, await Count());
    }

    private async Task<int> Count()
    {
        await using var scope = App.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<Caller>().AsSystem();
        return await scope.ServiceProvider.GetRequiredService<RegistryDb>().WebhookEvents.CountAsync();
    }
}

public sealed class ProtectedWebhooksRegistry<TDatabase> : RegistryApp<TDatabase> where TDatabase : TestDatabase, new()
{
    protected override void Configure(IDictionary<string, string?> settings) => WebhookSecurityTests.Protect(settings);
}

public sealed class WebhookSecurityOnSqlite(ProtectedWebhooksRegistry<Sqlite> app) : WebhookSecurityTests(app), IClassFixture<ProtectedWebhooksRegistry<Sqlite>>;

public sealed class WebhookSecurityOnPostgres(ProtectedWebhooksRegistry<Postgres> app) : WebhookSecurityTests(app), IClassFixture<ProtectedWebhooksRegistry<Postgres>>;
