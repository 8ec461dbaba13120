using AgentRegistry.Access;
using AgentRegistry.Knowledge;
using System.Net;
using System.Net.Http.Json;
using System.Net.Http.Headers;
using AgentRegistry.Infrastructure;
using AgentRegistry.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentRegistry.Tests.Security;

/// <summary>
/// A page on another site cannot make a signed-in person's browser change anything through the API: cookie-authenticated
/// unsafe calls must come from the registry's own pages. Calls with an API key are not affected.
/// </summary>
public abstract class CrossSiteRequestTests(RegistryApp app) : RegistryTest(app)
{
    private const string Evil = "https://evil.example";

    private async Task<int> CountAsync(Func<RegistryDb, Task<int>> count)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RegistryDb>();
        db.Caller.AsSystem();
        return await count(db);
    }

    private static HttpRequestMessage NewKey(string accessId, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/accesses/{accessId}/api-keys")
        {
            Content = JsonContent.Create(new { name = "from a page" }, options: Api.Json),
        };
        foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
        return request;
    }

    [Fact]
    public async Task ACookieAuthenticatedChangeFromAnotherSiteIsRefusedAndChangesNothing()
    {
        var op = await Op();
        var seeded = await op.SubscribedTenantAsync();
        var member = await App.MemberAsync(op, seeded.TenantId);
        var access = Guid.Parse(seeded.AccessId);
        (string, string)[][] foreign =
        [
            [("Origin", Evil)],
            [("Origin", "null")],
            [("Sec-Fetch-Site", "cross-site"), ("Origin", Evil)],
            [("Sec-Fetch-Site", "same-site")],
            [("Referer", Evil + "/page")],
            [("Origin", App.BaseAddress.GetLeftPart(UriPartial.Authority).Replace("127.0.0.1", "127.0.0.2"))],
        ];
        foreach (var headers in foreign)
            await member.SendAsync(NewKey(seeded.AccessId, headers)).Problem(403, "cross-site-request");
        Assert.Equal(0, await CountAsync(db => db.ApiKeys.CountAsync(k => k.AccessId == access)));

        var upload = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/accesses/{seeded.AccessId}/documents")
        {
            Content = new MultipartFormDataContent { { new ByteArrayContent("Opening hours: 9 to 5."u8.ToArray()) { Headers = { ContentType = new MediaTypeHeaderValue("text/plain") } }, "file", "hours.txt" } },
        };
        upload.Headers.Add("Origin", Evil);
        await member.SendAsync(upload).Problem(403, "cross-site-request");
        Assert.Equal(0, await CountAsync(db => db.TrainingDocuments.CountAsync(d => d.AccessId == access)));

        // From the registry's own pages (as the browser says), and from a client that is no browser at all: allowed.
        await member.SendAsync(NewKey(seeded.AccessId, ("Origin", App.BaseAddress.GetLeftPart(UriPartial.Authority)))).Created();
        await member.SendAsync(NewKey(seeded.AccessId, ("Sec-Fetch-Site", "same-origin"))).Created();
        await member.SendAsync(NewKey(seeded.AccessId)).Created();
        Assert.Equal(3, await CountAsync(db => db.ApiKeys.CountAsync(k => k.AccessId == access)));
    }

    [Fact]
    public async Task CallsWithAnApiKeyAreNotAffectedByTheOrigin()
    {
        var op = await Op();
        var seeded = await op.SubscribedTenantAsync();
        var key = await op.IssueKeyAsync(seeded.AccessId);
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/chat") { Content = JsonContent.Create(new { message = "Hello" }, options: Api.Json) };
        request.Headers.Add("Origin", Evil);
        request.Headers.Add("Sec-Fetch-Site", "cross-site");
        await App.WithKey(key).SendAsync(request).Json200();
    }

    [Fact]
    public async Task AForwardedProtoFromASenderThatIsNoTrustedProxyChangesNothing()
    {
        var client = App.Anonymous();
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        var form = await client.GetAsync("/login");
        Assert.False(form.Headers.Contains("Strict-Transport-Security"));
        var token = RegistryApp.AntiforgeryToken().Match(await form.Content.ReadAsStringAsync()).Groups[1].Value;
        var antiforgery = form.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).ToList();
        var post = new HttpRequestMessage(HttpMethod.Post, "/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Email"] = RegistryApp.AdminEmail, ["Password"] = App.AdminPassword, ["__RequestVerificationToken"] = token,
            }),
        };
        post.Headers.Add("Cookie", string.Join("; ", antiforgery));
        var signedIn = await client.SendAsync(post);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var session = Assert.Single(signedIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("agentregistry=", StringComparison.Ordinal));
        Assert.DoesNotContain("secure", session, StringComparison.OrdinalIgnoreCase);
    }
}

public sealed class CrossSiteRequestsOnSqlite(RegistryApp<Sqlite> app) : CrossSiteRequestTests(app), IClassFixture<RegistryApp<Sqlite>>;

public sealed class CrossSiteRequestsOnPostgres(RegistryApp<Postgres> app) : CrossSiteRequestTests(app), IClassFixture<RegistryApp<Postgres>>;
