using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AgentRegistry.Infrastructure;
using AgentRegistry.Tests.Infrastructure;
using AgentRegistry.Tests.Knowledge;
using AgentRegistry.Tests.Waldur;
using AgentRegistry.Waldur.Reporting;
using Microsoft.Extensions.DependencyInjection;

namespace AgentRegistry.Tests.Operations;

/// <summary>
/// /metrics after a short run of everything the registry does: an agent published, ordered in Waldur (webhook, order),
/// trained, asked over the API and the widget, usage sent, reported and reconciled. Every family the dashboards and
/// alert rules read is there, and the ones the run exercised count what it did.
/// </summary>
public abstract partial class MetricsTests(RegistryApp app, Marketplace market) : RegistryTest(app)
{
    private const string Shop = "https://shop.example.com";

    /// <summary>The families deploy/ reads (dashboards and alert rules), from deploy/metric-families.txt.</summary>
    private static readonly string[] Families = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Operations", "metric-families.txt"))
        .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToArray();

    [Fact]
    public async Task AfterAShortRunMetricsShowEveryFamily()
    {
        var op = await Op();
        var seeded = await op.SubscribedTenantAsync();
        var published = await op.PostAsync($"/api/v1/agents/{seeded.AgentId}/publish", null).Json200();
        var plans = (await op.GetAsync($"/api/v1/agents/{seeded.AgentId}/plans").Json200()).AsArray();
        await App.ConfigureHooksAsync();
        var order = await market.OrderAsync((string)published["waldur_offering_uuid"]!, (string)plans[0]!["waldur_plan_uuid"]!, "Metrics Ltd");
        var done = await market.WaitForOrderAsync((string)order["uuid"]!, "done");
        var resource = Guid.Parse((string)done["marketplace_resource_uuid"]!);
        var access = (await op.GetAsync("/api/v1/accesses?page_size=200").Json200()).Items()
            .Single(a => (string?)a!["waldur_resource_uuid"] is { } u && Guid.Parse(u) == resource)!.Id();

        // Trained on a document, asked over the API, sent usage.
        var doc = await op.UploadAsync($"/api/v1/accesses/{access}/documents", "Refunds take five days."u8.ToArray(), "faq.txt", "text/plain").Created();
        await WaitReadyAsync(op, $"/api/v1/accesses/{access}/documents/{doc.Id()}");
        var key = App.WithKey(await op.IssueKeyAsync(access, "chat", "usage:write"));
        await key.PostJson("/api/v1/chat", new { message = "How long do refunds take?" }).Json200();
        var usage = await key.PostJson("/api/v1/usage/events", new { events = new[] { new { id = "e1", metric = "messages", quantity = 2, occurred_at = App.Clock.UtcNow } } }).Json200();
        Assert.Equal(1, (int)usage["accepted"]!);

        // A visitor on the shop asks through the widget; another site is refused.
        var widget = await op.PostJson($"/api/v1/accesses/{access}/widgets", new { name = "Shop", allowed_origins = new[] { Shop } }).Created();
        var widgetKey = (string)widget["key"]!;
        var init = await Send(HttpMethod.Get, $"/api/widget/v1/{widgetKey}/init", Shop).Json200();
        await Send(HttpMethod.Post, $"/api/widget/v1/{widgetKey}/messages", Shop, (string)init["visitor_token"]!, new { message = "Refunds?" }).Json200();
        await Send(HttpMethod.Get, $"/api/widget/v1/{widgetKey}/init", "https://elsewhere.example.net").Problem(403, "origin-not-allowed");

        // Usage reported to Waldur and reconciled, as the scheduled jobs do it.
        await using (var scope = App.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<Caller>().AsSystem();
            var reported = await scope.ServiceProvider.GetRequiredService<UsageReporter>().RunAsync(TestContext.Current.CancellationToken);
            Assert.True(reported.Sent > 0, $"Nothing was reported: {reported}");
            await ActivatorUtilities.CreateInstance<UsageReconciliationJob>(scope.ServiceProvider).RunAsync(TestContext.Current.CancellationToken);
        }

        // The HTTP server's duration is recorded when the hosting layer ends the request, which may be just after the
        // client has read the response, and the inbox processes stored webhooks after their 202 (the order may have been
        // completed from Waldur's order list first): read /metrics until both are in it (deadline 30 s).
        var text = await App.Anonymous().GetStringAsync("/metrics");
        for (var deadline = Deadline.InSeconds(30);
             (Value(text, "http_server_request_duration_seconds_count", "http_route=\"/api/v1/chat\"") < 1
              || Value(text, "agentregistry_webhooks_processed_total", "result=\"processed\"") < 1) && deadline.Open;)
        {
            await Task.Delay(200, TestContext.Current.CancellationToken);
            text = await App.Anonymous().GetStringAsync("/metrics");
        }
        var missing = Families.Where(f => !Regex.IsMatch(text, $"^{f}(_bucket|_count|_sum)?[{{ ]", RegexOptions.Multiline)).ToList();
        Assert.True(missing.Count == 0, $"Missing from /metrics: {string.Join(", ", missing)}");

        Assert.True(Value(text, "agentregistry_webhooks_received_total", "result=\"stored\"") >= 1);
        Assert.True(Value(text, "agentregistry_webhooks_processed_total", "result=\"processed\"") >= 1);
        Assert.True(Value(text, "agentregistry_orders_total", "type=\"create\"", "result=\"done\"") >= 1);
        Assert.True(Value(text, "agentregistry_usage_events_total", "result=\"accepted\"") >= 1);
        Assert.True(Value(text, "agentregistry_waldur_call_duration_seconds_count", "result=\"2xx\"") >= 1);
        Assert.True(Value(text, "agentregistry_usage_reports_total", "result=\"sent\"") >= 1);
        Assert.True(Value(text, "agentregistry_reconciliation_rows_total", "status=") >= 1);
        Assert.True(Value(text, "agentregistry_chat_messages_total", "channel=\"api\"", "result=\"answered\"") >= 1);
        Assert.True(Value(text, "agentregistry_chat_messages_total", "channel=\"widget\"", "result=\"answered\"") >= 1);
        Assert.True(Value(text, "gen_ai_client_token_usage_count", "gen_ai_token_type=\"output\"") >= 1);
        Assert.True(Value(text, "agentregistry_documents_processed_total", "result=\"ready\"") >= 1);
        Assert.True(Value(text, "agentregistry_widget_messages_total") >= 1);
        Assert.True(Value(text, "agentregistry_widget_refusals_total", "reason=\"origin-not-allowed\"") >= 1);
        Assert.True(Value(text, "http_server_request_duration_seconds_count", "http_route=\"/api/v1/chat\"") >= 1);
    }

    [Fact]
    public async Task MetricsAreClosedToOtherNetworksUnlessTheTokenIsShown()
    {
        // The test registry trusts X-Forwarded-For from loopback (Protect below), so a request can come "from" elsewhere.
        var outsider = App.Anonymous();
        outsider.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.9");
        await outsider.GetAsync("/metrics").Problem(403, "metrics-forbidden");

        var scraper = App.Anonymous();
        scraper.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.9");
        scraper.DefaultRequestHeaders.Authorization = new("Bearer", "wrong-token");
        await scraper.GetAsync("/metrics").Problem(403, "metrics-forbidden");
        scraper.DefaultRequestHeaders.Authorization = new("Bearer", MetricsToken);
        var answer = await scraper.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Contains("agentregistry_webhooks_inbox_pending", await answer.Content.ReadAsStringAsync());

        var network = App.Anonymous();
        network.DefaultRequestHeaders.Add("X-Forwarded-For", "10.1.2.3");
        Assert.Equal(HttpStatusCode.OK, (await network.GetAsync("/metrics")).StatusCode);
    }

    internal const string MetricsToken = "metrics-token-for-tests";

    internal static void Protect(IDictionary<string, string?> settings)
    {
        settings["ReverseProxy:KnownNetworks:0"] = "127.0.0.1";
        settings["Telemetry:MetricsToken"] = MetricsToken;
        settings["Telemetry:MetricsAllowedNetworks:0"] = "10.0.0.0/8";
        settings["Telemetry:BacklogSampleSeconds"] = "1";
    }

    private static async Task WaitReadyAsync(HttpClient client, string document)
    {
        var until = Deadline.InSeconds(60);
        while ((string?)(await client.GetAsync(document).Json200())["status"] != "ready")
        {
            Assert.True(until.Open, "The document is not ready after 60 s.");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }

    private Task<HttpResponseMessage> Send(HttpMethod method, string url, string origin, string? token = null, object? body = null)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.Add("Origin", origin);
        if (token is not null) request.Headers.Authorization = new("Bearer", token);
        if (body is not null) request.Content = System.Net.Http.Json.JsonContent.Create(body, options: Api.Json);
        return App.Anonymous().SendAsync(request);
    }

    /// <summary>The sum of the samples of a series whose labels contain every given fragment.</summary>
    private static double Value(string text, string name, params string[] labels) =>
        text.Split('\n').Where(l => l.StartsWith(name + "{", StringComparison.Ordinal) || l.StartsWith(name + " ", StringComparison.Ordinal))
            .Where(l => labels.All(l.Contains))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
}

public sealed class MetricsRegistry<TDatabase> : WaldurRegistry<TDatabase> where TDatabase : TestDatabase, new()
{
    protected override void Configure(IDictionary<string, string?> settings) { base.Configure(settings); MetricsTests.Protect(settings); }
}

public sealed class MetricsOnSqlite(MetricsRegistry<Sqlite> app) : MetricsTests(app, app.Market), IClassFixture<MetricsRegistry<Sqlite>>;
public sealed class MetricsOnPostgres(MetricsRegistry<Postgres> app) : MetricsTests(app, app.Market), IClassFixture<MetricsRegistry<Postgres>>;
