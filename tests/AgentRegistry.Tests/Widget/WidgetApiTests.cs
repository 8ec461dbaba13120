using AgentRegistry.Chat;
using AgentRegistry.Metering;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using AgentRegistry.Infrastructure;
using AgentRegistry.Tests.Infrastructure;
using AgentRegistry.Tests.Knowledge;
using AgentRegistry.Widget;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentRegistry.Tests.Widget;

public abstract class WidgetApiTests(RegistryApp app) : RegistryTest(app)
{
    private const string Shop = "https://shop.example.com";

    private static string Widgets(Trained t) => $"/api/v1/accesses/{t.Seeded.AccessId}/widgets";

    private async Task<(Trained T, JsonNode Widget)> WidgetAsync(object? extra = null)
    {
        var t = await App.TenantAsync(await Op());
        var widget = await t.Member.PostJson(Widgets(t), extra ?? new { name = "Shop", allowed_origins = new[] { Shop, "https://*.example.org" } }).Created();
        return (t, widget);
    }

    private static HttpRequestMessage From(HttpMethod method, string url, string? origin, string? token = null, object? body = null)
    {
        var request = new HttpRequestMessage(method, url);
        if (origin is not null) request.Headers.Add("Origin", origin);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null) request.Content = System.Net.Http.Json.JsonContent.Create(body, options: Api.Json);
        return request;
    }

    private Task<HttpResponseMessage> Send(HttpRequestMessage request) => App.Anonymous().SendAsync(request);

    private static string Key(JsonNode widget) => (string)widget["key"]!;

    private async Task<string> TokenAsync(JsonNode widget, string origin = Shop)
    {
        var init = await Send(From(HttpMethod.Get, $"/api/widget/v1/{Key(widget)}/init", origin)).Json200();
        return (string)init["visitor_token"]!;
    }

    private Task<HttpResponseMessage> Ask(JsonNode widget, string token, string message, string? conversation = null, bool stream = false) =>
        Send(From(HttpMethod.Post, $"/api/widget/v1/{Key(widget)}/messages", Shop, token, new { message, conversation_id = conversation, stream }));

    private static string? AllowOrigin(HttpResponseMessage r) =>
        r.Headers.TryGetValues("Access-Control-Allow-Origin", out var v) ? string.Join(",", v) : null;

    [Fact]
    public async Task MemberCreatesReadsUpdatesAndDeletesAWidgetWithAnEmbedSnippet()
    {
        var (t, widget) = await WidgetAsync();
        Assert.StartsWith("wk_", Key(widget));
        Assert.Equal([Shop, "https://*.example.org"], widget["allowed_origins"]!.AsArray().Select(o => (string?)o));
        var snippet = (string)widget["embed_snippet"]!;
        Assert.Matches("^<script src=\"http://127\\.0\\.0\\.1:\\d+/widget\\.js\\?v=[0-9a-f]{16}\" integrity=\"sha384-[A-Za-z0-9+/=]{64}\" crossorigin=\"anonymous\" data-widget-key=\"wk_[0-9a-f]{32}\" async></script>$", snippet);
        Assert.False((bool)widget["identity_verification"]!);

        var updated = await t.Member.PutJson($"{Widgets(t)}/{widget.Id()}", new
        {
            name = "Shop 2", allowed_origins = new[] { "HTTPS://Shop.Example.com:443" },
            theme = new { primary_color = "#AA0000", position = "left", dark_mode = true }, suggested_questions = new[] { "Opening hours?" },
        }).Json200();
        Assert.Equal("Shop 2", (string?)updated["name"]);
        Assert.Equal(Shop, (string?)updated["allowed_origins"]![0]);
        Assert.Equal("#aa0000", (string?)updated["theme"]!["primary_color"]);
        Assert.Equal("left", (string?)updated["theme"]!["position"]);
        Assert.Equal(Key(widget), Key(updated));

        Assert.Single((await t.Member.GetAsync(Widgets(t)).Json200()).AsArray());
        Assert.Equal("Shop 2", (string?)(await t.Member.GetAsync($"{Widgets(t)}/{widget.Id()}").Json200())["name"]);
        Assert.Equal(HttpStatusCode.NoContent, (await t.Member.DeleteAsync($"{Widgets(t)}/{widget.Id()}")).StatusCode);
        await t.Member.GetAsync($"{Widgets(t)}/{widget.Id()}").Problem(404);
    }

    [Theory]
    [InlineData("allowed_origins[0]", "https://shop.example.com/path", null)]
    [InlineData("allowed_origins[0]", "shop.example.com", null)]
    [InlineData("allowed_origins[0]", "ftp://shop.example.com", null)]
    [InlineData("allowed_origins[0]", "https://shop.example.com?x=1", null)]
    [InlineData("theme.primary_color", Shop, "red")]
    [InlineData("theme.primary_color", Shop, "#12345")]
    public async Task InvalidOriginsAndColoursAreRejectedByFieldAndChangeNothing(string field, string origin, string? colour)
    {
        var t = await App.TenantAsync(await Op());
        var problem = await t.Member.PostJson(Widgets(t), new { name = "Bad", allowed_origins = new[] { origin }, theme = new { primary_color = colour } })
            .Problem(422, "validation");
        Assert.NotNull(problem["errors"]![field]);
        Assert.Empty((await t.Member.GetAsync(Widgets(t)).Json200()).AsArray());
    }

    [Fact]
    public async Task TextColourBelowAaOnThePrimaryColourIsRefusedWithTheMeasuredRatio()
    {
        var t = await App.TenantAsync(await Op());
        var problem = await t.Member.PostJson(Widgets(t), new { name = "Grey", theme = new { primary_color = "#FFFFFF", text_color = "#777777" } })
            .Problem(422, "validation");
        var message = (string)problem["errors"]!["theme.text_color"]![0]!;
        Assert.Contains("4.48:1", message);
        Assert.Contains("4.5:1", message);
        Assert.Empty((await t.Member.GetAsync(Widgets(t)).Json200()).AsArray());

        var own = await t.Member.PostJson(Widgets(t), new { name = "Dark", theme = new { primary_color = "#1e3a8a", text_color = "#ffffff" } }).Created();
        await t.Member.PutJson($"{Widgets(t)}/{own.Id()}", new { name = "Gold", theme = new { primary_color = "#FFD700", text_color = "#ffffff" } })
            .Problem(422, "validation");
        Assert.Equal("#1e3a8a", (string?)(await t.Member.GetAsync($"{Widgets(t)}/{own.Id()}").Json200())["theme"]!["primary_color"]);
    }

    [Theory]
    [InlineData("#FFD700", "#000000")]
    [InlineData("#1E3A8A", "#ffffff")]
    [InlineData("#777777", "#000000")]
    public async Task WithoutATextColourTheWidgetGetsTheReadableOneForItsPrimaryColour(string primary, string expected)
    {
        var (_, widget) = await WidgetAsync(new { name = "Auto", allowed_origins = new[] { Shop }, theme = new { primary_color = primary } });
        Assert.Equal(expected, (string?)widget["theme"]!["text_color"]);
        var init = await Send(From(HttpMethod.Get, $"/api/widget/v1/{Key(widget)}/init", Shop)).Json200();
        Assert.Equal(expected, (string?)init["theme"]!["text_color"]);
        Assert.True(WidgetContrast.Ratio(expected, primary.ToLowerInvariant()) >= 4.5);
    }

    [Fact]
    public async Task ErrorAnswersToAnAllowedOriginCarryTheCorsGrant()
    {
        var (_, widget) = await WidgetAsync();
        var token = await TokenAsync(widget);
        var tooLong = await Ask(widget, token, new string('x', 100_000));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLong.StatusCode);
        Assert.Equal(Shop, AllowOrigin(tooLong));
        var empty = await Ask(widget, token, " ");
        await Task.FromResult(empty).Problem(422, "validation");
        Assert.Equal(Shop, AllowOrigin(empty));
        var malformed = From(HttpMethod.Post, $"/api/widget/v1/{Key(widget)}/messages", Shop, token);
        malformed.Content = new StringContent("{\"message\": [", Encoding.UTF8, "application/json");
        var bad = await Send(malformed);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(Shop, AllowOrigin(bad));
        var expired = await Ask(widget, "not-a-token", "hello");
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        Assert.Equal(Shop, AllowOrigin(expired));
    }

    [Fact]
    public async Task QuotaRefusalOfAWidgetMessageCarriesTheCorsGrantAndRetryAfter()
    {
        var op = await Op();
        var s = await op.SubscribedTenantAsync();
        var plan = await op.PostJson($"/api/v1/agents/{s.AgentId}/plans", Seed.Plan("One", 1m, 1)).Created();
        var access = await op.PostJson("/api/v1/accesses", new { project_id = s.ProjectId, agent_id = s.AgentId, plan_id = plan.Id() }).Created();
        var widget = await op.PostJson($"/api/v1/accesses/{access.Id()}/widgets", new { name = "Tiny", allowed_origins = new[] { Shop } }).Created();
        var token = await TokenAsync(widget);
        await Ask(widget, token, "First?").Json200();
        var refused = await Ask(widget, token, "Second?");
        await Task.FromResult(refused).Problem(429, "quota-exceeded");
        Assert.Equal(Shop, AllowOrigin(refused));
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
    }

    [Fact]
    public async Task FloodFromAnOriginNotAllowedIsRefusedWithoutACorsGrant()
    {
        var (_, widget) = await WidgetAsync();
        var token = await TokenAsync(widget);
        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 25; i++)
            answers.Add(await Send(From(HttpMethod.Post, $"/api/widget/v1/{Key(widget)}/messages", "https://evil.example.net", token, new { message = "" })));
        Assert.Contains(answers, r => (int)r.StatusCode == 429);
        Assert.All(answers, r => Assert.Null(AllowOrigin(r)));
    }

    [Theory]
    [InlineData(Shop)]
    [InlineData("https://www.example.org")]
    [InlineData("https://a.b.example.org")]
    public async Task InitFromAnAllowedOriginReturnsThemeTokenAndACorsGrantForThatOriginOnly(string origin)
    {
        var (_, widget) = await WidgetAsync();
        var response = await Send(From(HttpMethod.Get, $"/api/widget/v1/{Key(widget)}/init", origin));
        var init = await Task.FromResult(response).Json200();
        Assert.Equal(origin, AllowOrigin(response));
        Assert.Contains("Origin", response.Headers.Vary);
        Assert.False(string.IsNullOrEmpty((string?)init["visitor_token"]));
        Assert.Equal("#2563eb", (string?)init["theme"]!["primary_color"]);
        Assert.Equal("Chat with us", (string?)init["texts"]!["title"]);

        var preflight = new HttpRequestMessage(HttpMethod.Options, $"/api/widget/v1/{Key(widget)}/messages");
        preflight.Headers.Add("Origin", origin);
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        var answer = await Send(preflight);
        Assert.Equal(HttpStatusCode.NoContent, answer.StatusCode);
        Assert.Equal(origin, AllowOrigin(answer));
    }

    [Theory]
    [InlineData("https://evil.example.net")]
    [InlineData("http://shop.example.com")]
    [InlineData("https://example.org")]
    [InlineData("https://shop.example.com.evil.net")]
    [InlineData(null)]
    public async Task InitFromAnotherOriginGetsNoTokenAndNoCorsGrant(string? origin)
    {
        var (_, widget) = await WidgetAsync();
        var response = await Send(From(HttpMethod.Get, $"/api/widget/v1/{Key(widget)}/init", origin));
        var problem = await Task.FromResult(response).Problem(403, "origin-not-allowed");
        Assert.Null(problem["visitor_token"]);
        Assert.Null(AllowOrigin(response));

        var preflight = new HttpRequestMessage(HttpMethod.Options, $"/api/widget/v1/{Key(widget)}/messages");
        if (origin is not null) preflight.Headers.Add("Origin", origin);
        var answer = await Send(preflight);
        Assert.Equal(HttpStatusCode.Forbidden, answer.StatusCode);
        Assert.Null(AllowOrigin(answer));
    }

    [Fact]
    public async Task UnknownOrDisabledWidgetKeysAreNotFound()
    {
        var (t, widget) = await WidgetAsync();
        var unknown = await Send(From(HttpMethod.Get, "/api/widget/v1/wk_00000000000000000000000000000000/init", Shop));
        await Task.FromResult(unknown).Problem(404, "widget-not-found");
        Assert.Null(AllowOrigin(unknown));

        await t.Member.PutJson($"{Widgets(t)}/{widget.Id()}", new { name = "Off", allowed_origins = new[] { Shop }, enabled = false }).Json200();
        var disabled = await Send(From(HttpMethod.Get, $"/api/widget/v1/{Key(widget)}/init", Shop));
        await Task.FromResult(disabled).Problem(404, "widget-not-found");
        Assert.Null(AllowOrigin(disabled));
    }

    [Fact]
    public async Task ForgedExpiredOrForeignVisitorTokensAreUnauthorized()
    {
        var (_, widget) = await WidgetAsync();
        var (_, other) = await WidgetAsync();
        var token = await TokenAsync(widget);
        var tokens = App.Services.GetRequiredService<VisitorTokens>();
        var widgetId = Guid.Parse(widget.Id());
        var forged = token[..^4] + (token[^4..] == "AAAA" ? "BBBB" : "AAAA");
        var expired = tokens.Issue(widgetId, "v_someone", false, App.Clock.GetUtcNow().AddSeconds(-5));
        var foreign = await TokenAsync(other);
        foreach (var bad in new[] { forged, expired, foreign, "not-a-token", "" })
        {
            var response = await Ask(widget, bad, "hello");
            await Task.FromResult(response).Problem(401, "invalid-visitor-token");
            Assert.Equal(Shop, AllowOrigin(response));
        }
        await Ask(widget, token, "hello").Json200();
    }

    [Fact]
    public async Task MessageFromAnOriginNotAllowedIsRefusedEvenWithAValidToken()
    {
        var (_, widget) = await WidgetAsync();
        var token = await TokenAsync(widget);
        var response = await Send(From(HttpMethod.Post, $"/api/widget/v1/{Key(widget)}/messages", "https://evil.example.net", token, new { message = "hi" }));
        await Task.FromResult(response).Problem(403, "origin-not-allowed");
        Assert.Null(AllowOrigin(response));
    }

    [Fact]
    public async Task HundredKilobyteMessageIsRefusedAndStoresNothing()
    {
        var (t, widget) = await WidgetAsync();
        var token = await TokenAsync(widget);
        await Ask(widget, token, new string('x', 100_000)).Problem(413, "message-too-long");
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RegistryDb>();
        db.Caller.AsSystem();
        var access = Guid.Parse(t.Seeded.AccessId);
        Assert.False(await db.Conversations.AnyAsync(c => c.AccessId == access));
    }

    [Fact]
    public async Task FloodOfMessagesFromOneVisitorIsRateLimitedWithRetryAfter()
    {
        var (_, widget) = await WidgetAsync();
        var token = await TokenAsync(widget);
        var statuses = new List<HttpResponseMessage>();
        for (var i = 0; i < 25; i++) statuses.Add(await Ask(widget, token, ""));
        var limited = statuses.Where(r => (int)r.StatusCode == 429).ToList();
        Assert.True(limited.Count >= 5, $"expected 429s, got {string.Join(",", statuses.Select(s => (int)s.StatusCode))}");
        Assert.True(limited[0].Headers.RetryAfter?.Delta > TimeSpan.Zero);
        // The visitor's browser may read the refusal and its Retry-After.
        Assert.Equal(Shop, AllowOrigin(limited[0]));
        Assert.Contains("Retry-After", limited[0].Headers.GetValues("Access-Control-Expose-Headers"));
        var problem = await Task.FromResult(limited[0]).Problem(429, "rate-limited");
        Assert.Equal((int)limited[0].Headers.RetryAfter!.Delta!.Value.TotalSeconds, (int)problem["retry_after"]!);

        // Another visitor of the same widget is not limited by the first one's flood.
        await Ask(widget, await TokenAsync(widget), "").Problem(422, "validation");
    }

    [Fact]
    public async Task StreamedAnswerComesFromTheDocumentsAndTheVisitorReadsTheThreadBack()
    {
        var (t, widget) = await WidgetAsync();
        await t.TrainAsync(Encoding.UTF8.GetBytes("Our support hotline is open from 8 am to 6 pm, Monday to Friday."), "hours.txt");
        var token = await TokenAsync(widget);
        var response = await Ask(widget, token, "When is the support hotline open?", stream: true);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Shop, AllowOrigin(response));
        var body = await response.Content.ReadAsStringAsync();
        var data = body.Split('\n').Where(l => l.StartsWith("data: ", StringComparison.Ordinal)).Select(l => JsonNode.Parse(l[6..])!).ToList();
        Assert.Contains("event: delta", body);
        Assert.Contains("8 am to 6 pm", string.Concat(data[..^1].Select(d => (string?)d["text"])));
        var done = data[^1];
        var conversation = (string)done["conversation_id"]!;

        var second = await Ask(widget, token, "And on Monday?", conversation).Json200();
        Assert.Equal(conversation, (string?)second["conversation_id"]);
        var thread = await Send(From(HttpMethod.Get, $"/api/widget/v1/{Key(widget)}/conversations/{conversation}", Shop, token)).Json200();
        Assert.Equal(["user", "assistant", "user", "assistant"], thread["messages"]!.AsArray().Select(m => (string?)m!["role"]));

        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RegistryDb>();
        db.Caller.AsSystem();
        var widgetId = Guid.Parse(widget.Id());
        Assert.True(await db.UsageRecords.AnyAsync(u => u.WidgetId == widgetId && u.Metric == "messages"));
    }

    [Fact]
    public async Task AnotherVisitorsConversationIsNotFound()
    {
        var (_, widget) = await WidgetAsync();
        var alice = await TokenAsync(widget);
        var bob = await TokenAsync(widget);
        var conversation = (string)(await Ask(widget, alice, "hello"))
            .Content.ReadFromJsonNode()["conversation_id"]!;
        await Send(From(HttpMethod.Get, $"/api/widget/v1/{Key(widget)}/conversations/{conversation}", Shop, bob)).Problem(404);
        await Ask(widget, bob, "continue", conversation).Problem(404);
        await Send(From(HttpMethod.Get, $"/api/widget/v1/{Key(widget)}/conversations/{conversation}", Shop, alice)).Json200();
    }

    [Fact]
    public async Task ReturningVisitorKeepsTheirIdentityAcrossInit()
    {
        var (_, widget) = await WidgetAsync();
        var first = await TokenAsync(widget);
        var conversation = (string)(await Ask(widget, first, "hello")).Content.ReadFromJsonNode()["conversation_id"]!;
        var again = From(HttpMethod.Get, $"/api/widget/v1/{Key(widget)}/init", Shop);
        again.Headers.Add("X-Visitor-Token", first);
        var second = (string)(await Send(again).Json200())["visitor_token"]!;
        await Send(From(HttpMethod.Get, $"/api/widget/v1/{Key(widget)}/conversations/{conversation}", Shop, second)).Json200();
    }

    [Fact]
    public async Task IdentityVerificationNeedsTheRightUserHash()
    {
        var secret = new string('s', 40);
        var (_, widget) = await WidgetAsync(new { name = "Verified", allowed_origins = new[] { Shop }, identity_secret = secret });
        Assert.True((bool)widget["identity_verification"]!);
        Assert.Null(widget["identity_secret"]);
        var hash = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes("user-42")));
        await Send(From(HttpMethod.Get, $"/api/widget/v1/{Key(widget)}/init?user_id=user-42&user_hash={hash}", Shop)).Json200();
        await Send(From(HttpMethod.Get, $"/api/widget/v1/{Key(widget)}/init?user_id=user-43&user_hash={hash}", Shop)).Problem(401, "identity-not-verified");
    }

    [Fact]
    public async Task TerminatingTheAccessDisablesItsWidgets()
    {
        var (t, widget) = await WidgetAsync();
        await TokenAsync(widget);
        await (await Op()).PatchJson($"/api/v1/accesses/{t.Seeded.AccessId}", new { state = "terminated" }).Json200();
        Assert.False((bool)(await t.Member.GetAsync($"{Widgets(t)}/{widget.Id()}").Json200())["enabled"]!);
        await Send(From(HttpMethod.Get, $"/api/widget/v1/{Key(widget)}/init", Shop)).Problem(404, "widget-not-found");
        await t.Member.PostJson(Widgets(t), new { name = "Late" }).Problem(409, "access-terminated");
    }

    [Fact]
    public async Task LoaderIsCachedByVersionWithAnETagAndMatchesItsIntegrityHash()
    {
        var (_, widget) = await WidgetAsync();
        var snippet = (string)widget["embed_snippet"]!;
        var src = snippet.Split('"')[1];
        var integrity = snippet.Split('"')[3];
        var client = App.Anonymous();
        var response = await client.GetAsync(new Uri(src).PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(integrity, "sha384-" + Convert.ToBase64String(SHA384.HashData(bytes)));
        Assert.Contains("immutable", response.Headers.CacheControl!.ToString());
        Assert.Equal("*", AllowOrigin(response));
        var etag = response.Headers.ETag!;

        var unversioned = await client.GetAsync("/widget.js");
        Assert.DoesNotContain("immutable", unversioned.Headers.CacheControl!.ToString());
        var conditional = new HttpRequestMessage(HttpMethod.Get, "/widget.js");
        conditional.Headers.IfNoneMatch.Add(etag);
        Assert.Equal(HttpStatusCode.NotModified, (await client.SendAsync(conditional)).StatusCode);
    }

    [Fact]
    public async Task PreviewPageIsForMembersOfTheTenantAndAllowsTheRegistryOriginForThatWidgetOnly()
    {
        var (t, widget) = await WidgetAsync();
        var page = await t.Member.GetAsync($"/widget/{Key(widget)}/preview");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        var ticket = html.Split("data-preview=\"")[1].Split('"')[0];
        var own = App.BaseAddress.GetLeftPart(UriPartial.Authority);
        await Send(From(HttpMethod.Get, $"/api/widget/v1/{Key(widget)}/init", own)).Problem(403);
        var init = await Send(From(HttpMethod.Get, $"/api/widget/v1/{Key(widget)}/init?preview={Uri.EscapeDataString(ticket)}", own)).Json200();
        var token = (string)init["visitor_token"]!;
        await Send(From(HttpMethod.Post, $"/api/widget/v1/{Key(widget)}/messages", own, token, new { message = "hello" })).Json200();
        // The ticket does not open other origins or other widgets.
        await Send(From(HttpMethod.Get, $"/api/widget/v1/{Key(widget)}/init?preview={Uri.EscapeDataString(ticket)}", "https://evil.example.net")).Problem(403);
        var (_, other) = await WidgetAsync();
        await Send(From(HttpMethod.Get, $"/api/widget/v1/{Key(other)}/init?preview={Uri.EscapeDataString(ticket)}", own)).Problem(403);

        var stranger = await App.MemberAsync(await Op(), (await (await Op()).SubscribedTenantAsync()).TenantId);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/widget/{Key(widget)}/preview")).StatusCode);
        var anonymous = await App.Anonymous().GetAsync($"/widget/{Key(widget)}/preview");
        Assert.True(anonymous.StatusCode == HttpStatusCode.Redirect && anonymous.Headers.Location!.ToString().Contains("/login"),
            $"the preview answered {(int)anonymous.StatusCode} to an anonymous caller");
    }
}

internal static class WidgetHttp
{
    public static JsonNode ReadFromJsonNode(this HttpContent content) => JsonNode.Parse(content.ReadAsStringAsync().GetAwaiter().GetResult())!;
}

public sealed class WidgetApiOnSqlite(RegistryApp<Sqlite> app) : WidgetApiTests(app), IClassFixture<RegistryApp<Sqlite>>;

public sealed class WidgetApiOnPostgres(RegistryApp<Postgres> app) : WidgetApiTests(app), IClassFixture<RegistryApp<Postgres>>;
