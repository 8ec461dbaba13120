using AgentRegistry.Chat;
using AgentRegistry.Waldur;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using AgentRegistry.Infrastructure;
using AgentRegistry.Tests.Infrastructure;
using AgentRegistry.Tests.Knowledge;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentRegistry.Tests.Security;

/// <summary>Limits are policies on endpoints: however the path is written, the endpoint routing chose meets its limit.</summary>
public abstract class RateLimitTests(RegistryApp app) : RegistryTest(app)
{
    private const string Shop = "https://shop.example.com";

    internal static void Limit(IDictionary<string, string?> settings)
    {
        settings["Widget:VisitorMessagesPerMinute"] = "3";
        settings["Widget:WidgetMessagesPerMinute"] = "1000";
        settings["Widget:InitsPerAddressPerMinute"] = "4";
        settings["ApiKeys:RequestsPerMinute"] = "5";
        settings["Waldur:Webhooks:PerAddressPerMinute"] = "3";
    }

    private async Task<(Trained T, string Key)> WidgetAsync()
    {
        var t = await App.TenantAsync(await Op());
        var widget = await t.Member.PostJson($"/api/v1/accesses/{t.Seeded.AccessId}/widgets", new { name = "Shop", allowed_origins = new[] { Shop } }).Created();
        return (t, (string)widget["key"]!);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, string? token = null, object? body = null)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.Add("Origin", Shop);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null) request.Content = System.Net.Http.Json.JsonContent.Create(body, options: Api.Json);
        return await App.Anonymous().SendAsync(request);
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage response, bool cors = true)
    {
        var problem = await Task.FromResult(response).Problem(429, "rate-limited");
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.True((int)problem["retry_after"]! > 0);
        if (cors) Assert.Equal(Shop, response.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [Fact]
    public async Task WritingTheMessagesPathDifferentlyMeetsTheSameVisitorLimit()
    {
        var (t, key) = await WidgetAsync();
        var init = await SendAsync(HttpMethod.Get, $"/api/widget/v1/{key}/init").Json200();
        var token = (string)init["visitor_token"]!;
        var paths = new[]
        {
            $"/api/widget/v1/{key}/messages", $"/API/Widget/V1/{key}/Messages", $"/api/widget/v1/{key}/messages/",
            $"/Api/Widget/v1/{key}/MESSAGES/", $"/api/widget/v1/{key}/messages",
        };
        var answers = new List<HttpResponseMessage>();
        foreach (var path in paths) answers.Add(await SendAsync(HttpMethod.Post, path, token, new { message = "When are you open?" }));
        Assert.All(answers.Take(3), a => Assert.Equal(200, (int)a.StatusCode));
        foreach (var refused in answers.Skip(3)) await AssertRefusedAsync(refused);
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RegistryDb>();
        db.Caller.AsSystem();
        Assert.Equal(3, await db.Messages.CountAsync(m => m.Role == "user" && db.Set<Conversation>().Any(c => c.Id == m.ConversationId && c.AccessId == Guid.Parse(t.Seeded.AccessId))));
    }

    [Fact]
    public async Task NewVisitorTokensAreLimitedPerClientAddressSoTheyCannotResetTheVisitorLimit()
    {
        var (_, key) = await WidgetAsync();
        for (var i = 0; i < 4; i++) await SendAsync(HttpMethod.Get, $"/api/widget/v1/{key}/init").Json200();
        await AssertRefusedAsync(await SendAsync(HttpMethod.Get, $"/api/widget/v1/{key}/INIT"));
        await AssertRefusedAsync(await SendAsync(HttpMethod.Get, $"/api/widget/v1/{key}/init/"));
    }

    [Fact]
    public async Task AnApiKeyIsLimitedPerKeyOnEveryRouteItOpens()
    {
        var t = await App.TenantAsync(await Op());
        var other = App.WithKey(await t.Member.IssueKeyAsync(t.Seeded.AccessId, "chat"));
        for (var i = 0; i < 3; i++) await t.Key.GetAsync("/v1/models").Json200();
        await t.Key.PostJson("/api/v1/chat", new { message = "When are you open?" }).Json200();
        await t.Key.GetAsync("/V1/Models/").Json200();
        await AssertRefusedAsync(await t.Key.PostJson("/API/V1/CHAT", new { message = "And now?" }), cors: false);
        await AssertRefusedAsync(await t.Key.GetAsync("/v1/models"), cors: false);
        // Another key of the same access has its own allowance.
        await other.GetAsync("/v1/models").Json200();
    }

    [Fact]
    public async Task WebhookDeliveriesAreLimitedPerAddressAndRefusedOnesAreNotStored()
    {
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RegistryDb>();
        db.Caller.AsSystem();
        var before = await db.WebhookEvents.CountAsync();
        string Body() => $$$"""{"event_type": "limited_event", "created": "2026-11-02T10:00:00Z", "context": {"n": "{{{Guid.NewGuid():N}}}"}}""";
        var paths = new[] { "/webhooks/waldur/order/", "/webhooks/waldur/customer/", "/WEBHOOKS/waldur/project/", "/webhooks/waldur/order", "/webhooks/Waldur/ORDER/" };
        var answers = new List<HttpResponseMessage>();
        foreach (var path in paths) answers.Add(await App.Anonymous().PostAsync(path, new StringContent(Body(), Encoding.UTF8, "application/json")));
        Assert.All(answers.Take(3), a => Assert.Equal(202, (int)a.StatusCode));
        foreach (var refused in answers.Skip(3)) await AssertRefusedAsync(refused, cors: false);
        Assert.Equal(before + 3, await db.WebhookEvents.CountAsync());
    }
}

public sealed class LimitedRegistry<TDatabase> : RegistryApp<TDatabase> where TDatabase : TestDatabase, new()
{
    protected override void Configure(IDictionary<string, string?> settings) => RateLimitTests.Limit(settings);
}

public sealed class RateLimitsOnSqlite(LimitedRegistry<Sqlite> app) : RateLimitTests(app), IClassFixture<LimitedRegistry<Sqlite>>;

public sealed class RateLimitsOnPostgres(LimitedRegistry<Postgres> app) : RateLimitTests(app), IClassFixture<LimitedRegistry<Postgres>>;

/// <summary>With no token, network or signature configured, webhooks are refused unless opened on purpose (and then health says so).</summary>
public abstract class WebhookProtectionTests(RegistryApp app) : RegistryTest(app)
{
    [Fact]
    public async Task AnUnprotectedReceiverRefusesDeliveriesAndStoresNothing()
    {
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RegistryDb>();
        db.Caller.AsSystem();
        var body = """{"event_type": "marketplace_order_created", "created": "2026-11-02T10:00:00Z", "context": {"order_uuid": "3d2f4c6e9b8a4f1e8c7d6b5a4e3f2d1c"}}""";
        await App.Anonymous().PostAsync("/webhooks/waldur/order/", new StringContent(body, Encoding.UTF8, "application/json")).Problem(403, "webhook-unprotected");
        Assert.Equal(0, await db.WebhookEvents.CountAsync());
        var health = JsonNode.Parse(await App.Anonymous().GetStringAsync("/health/ready"))!;
        Assert.Equal("Healthy", (string?)health["checks"]!["webhook-protection"]!["status"]);
    }
}

/// <summary>The suites' usual registry accepts unprotected webhooks on purpose: health shows it Degraded.</summary>
public abstract class OpenWebhooksHealthTests(RegistryApp app) : RegistryTest(app)
{
    [Fact]
    public async Task OpenWebhooksShowDegradedInHealth()
    {
        var health = JsonNode.Parse(await App.Anonymous().GetStringAsync("/health/ready"))!;
        Assert.Equal("Degraded", (string?)health["checks"]!["webhook-protection"]!["status"]);
        Assert.Contains("anyone", (string?)health["checks"]!["webhook-protection"]!["description"]);
    }
}

public sealed class ClosedWebhooksRegistry<TDatabase> : RegistryApp<TDatabase> where TDatabase : TestDatabase, new()
{
    protected override void Configure(IDictionary<string, string?> settings) => settings["Waldur:Webhooks:AllowUnprotected"] = "false";
}

public sealed class WebhookProtectionOnSqlite(ClosedWebhooksRegistry<Sqlite> app) : WebhookProtectionTests(app), IClassFixture<ClosedWebhooksRegistry<Sqlite>>;

public sealed class WebhookProtectionOnPostgres(ClosedWebhooksRegistry<Postgres> app) : WebhookProtectionTests(app), IClassFixture<ClosedWebhooksRegistry<Postgres>>;

public sealed class OpenWebhooksHealthOnSqlite(RegistryApp<Sqlite> app) : OpenWebhooksHealthTests(app), IClassFixture<RegistryApp<Sqlite>>;

public sealed class OpenWebhooksHealthOnPostgres(RegistryApp<Postgres> app) : OpenWebhooksHealthTests(app), IClassFixture<RegistryApp<Postgres>>;
