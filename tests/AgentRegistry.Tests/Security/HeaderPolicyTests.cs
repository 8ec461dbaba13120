using System.Net;
using System.Net.Http.Json;
using AgentRegistry.Infrastructure;
using AgentRegistry.Tests.Infrastructure;

namespace AgentRegistry.Tests.Security;

/// <summary>
/// One header policy on every answer (pages, API, errors, static files); HSTS and a Secure session cookie when a trusted
/// proxy says the request came over https; embed snippets that name the configured public address, whatever Host says.
/// </summary>
public abstract class HeaderPolicyTests(RegistryApp app) : RegistryTest(app)
{
    public const string PublicUrl = "https://agents.example.test";

    internal static void Configure(IDictionary<string, string?> settings)
    {
        settings["ReverseProxy:KnownNetworks:0"] = "127.0.0.1/32";
        settings["ReverseProxy:KnownNetworks:1"] = "::1/128";
        settings["Registry:PublicUrl"] = PublicUrl;
    }

    private static string Header(HttpResponseMessage r, string name) =>
        r.Headers.TryGetValues(name, out var v) ? string.Join(", ", v)
        : r.Content.Headers.TryGetValues(name, out var c) ? string.Join(", ", c) : "";

    private static void AssertCommon(HttpResponseMessage r, string what)
    {
        Assert.True(Header(r, "X-Content-Type-Options") == "nosniff", $"{what}: nosniff");
        Assert.True(Header(r, "Referrer-Policy") == "same-origin", $"{what}: Referrer-Policy");
        Assert.True(Header(r, "X-Frame-Options") == "DENY", $"{what}: X-Frame-Options");
        Assert.True(Header(r, "Strict-Transport-Security") == "", $"{what}: no HSTS over plain http");
    }

    [Fact]
    public async Task EveryAnswerCarriesTheHeaderPolicyAndPagesTheStrictOne()
    {
        var anonymous = App.Anonymous();
        foreach (var path in new[] { "/login", "/admin", "/portal", "/no-such-page" })
        {
            var page = await anonymous.GetAsync(path);
            AssertCommon(page, path);
            Assert.Equal(SecurityHeaders.PagePolicy, Header(page, "Content-Security-Policy"));
        }
        var admin = await (await Op()).GetAsync("/admin/tenants");
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        AssertCommon(admin, "/admin/tenants");
        Assert.Equal(SecurityHeaders.PagePolicy, Header(admin, "Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", SecurityHeaders.PagePolicy);
        Assert.DoesNotContain("unsafe-inline", SecurityHeaders.PagePolicy);

        foreach (var path in new[] { "/api/v1/me", "/api/v1/agents", "/health/live", "/openapi/v1.json", "/widget.js", "/static/portal.css" })
        {
            var answer = await anonymous.GetAsync(path);
            AssertCommon(answer, path);
            if (!path.StartsWith("/static", StringComparison.Ordinal))
                Assert.Equal(SecurityHeaders.ApiPolicy, Header(answer, "Content-Security-Policy"));
        }
        // A problem answer (JSON) carries them too.
        var problem = await (await Op()).PostJson("/api/v1/tenants", new { name = "" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, problem.StatusCode);
        AssertCommon(problem, "a 400 problem");
    }

    [Fact]
    public async Task HttpsThroughATrustedProxyGetsHstsAndASecureSessionCookie()
    {
        var cookies = new CookieContainer();
        var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = App.BaseAddress };
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        var form = await client.GetAsync("/login");
        Assert.Equal(SecurityHeaders.Hsts, Header(form, "Strict-Transport-Security"));
        var token = RegistryApp.AntiforgeryToken().Match(await form.Content.ReadAsStringAsync()).Groups[1].Value;
        var signedIn = await client.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = RegistryApp.AdminEmail, ["Password"] = App.AdminPassword, ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var session = Assert.Single(signedIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("agentregistry=", StringComparison.Ordinal));
        Assert.Contains("secure", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", session, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task EmbedSnippetsNameThePublicUrlWhateverTheHostHeaderSays()
    {
        var op = await Op();
        var seeded = await op.SubscribedTenantAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/accesses/{seeded.AccessId}/widgets")
        {
            Content = JsonContent.Create(new { name = "Shop", allowed_origins = new[] { "https://shop.example" } }, options: Api.Json),
        };
        request.Headers.Host = "evil.example";
        var widget = await op.SendAsync(request).Created();
        var snippet = (string)widget["embed_snippet"]!;
        Assert.StartsWith($"<script src=\"{PublicUrl}/widget.js?v=", snippet);
        Assert.DoesNotContain("evil.example", snippet);

        var portal = new HttpRequestMessage(HttpMethod.Get, $"/portal/accesses/{seeded.AccessId}/widgets/{widget.Id()}");
        portal.Headers.Host = "evil.example";
        var html = await (await op.SendAsync(portal)).Content.ReadAsStringAsync();
        Assert.Contains($"{PublicUrl}/widget.js", html);
        Assert.DoesNotContain("evil.example", html);
    }
}

public sealed class ProxiedRegistry<TDatabase> : RegistryApp<TDatabase> where TDatabase : TestDatabase, new()
{
    protected override void Configure(IDictionary<string, string?> settings) => HeaderPolicyTests.Configure(settings);
}

public sealed class HeaderPolicyOnSqlite(ProxiedRegistry<Sqlite> app) : HeaderPolicyTests(app), IClassFixture<ProxiedRegistry<Sqlite>>;

public sealed class HeaderPolicyOnPostgres(ProxiedRegistry<Postgres> app) : HeaderPolicyTests(app), IClassFixture<ProxiedRegistry<Postgres>>;
