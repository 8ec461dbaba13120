using System.Net;
using System.Text.RegularExpressions;
using AgentRegistry.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace AgentRegistry.Tests.Security;

/// <summary>
/// A single sign-on session keeps the claims it started with only until they are due to be asked again
/// (<c>Identity:Sessions:OidcClaimsMinutes</c>): then the identity provider is asked, and a changed tenant takes effect.
/// </summary>
public abstract class OidcSessionTests(RegistryApp app, TestIssuer issuer, ManualClock clock) : RegistryTest(app)
{
    private async Task<HttpClient> SignInAsync()
    {
        var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = App.BaseAddress };
        var challenge = await browser.GetAsync("/portal");
        Assert.Equal(HttpStatusCode.Redirect, challenge.StatusCode);
        var form = await new HttpClient().GetStringAsync(challenge.Headers.Location!);
        var action = Regex.Match(form, "action=\"([^\"]+)\"").Groups[1].Value;
        var fields = Regex.Matches(form, "name=\"(\\w+)\" value=\"([^\"]*)\"")
            .ToDictionary(m => m.Groups[1].Value, m => WebUtility.HtmlDecode(m.Groups[2].Value));
        Assert.Equal(HttpStatusCode.Redirect, (await browser.PostAsync(action, new FormUrlEncodedContent(fields))).StatusCode);
        return browser;
    }

    [Fact]
    public async Task ASingleSignOnSessionAsksTheIssuerAgainSoAChangedTenantClaimTakesEffect()
    {
        var op = await Op();
        var first = await op.SubscribedTenantAsync();
        var second = await op.SubscribedTenantAsync();
        issuer.SignedInUser = new Dictionary<string, object> { ["sub"] = "moving-member", ["preferred_username"] = "mo", ["waldur_customer_uuid"] = first.TenantId };
        var browser = await SignInAsync();
        Assert.Equal(first.TenantId, (string?)(await browser.GetAsync("/api/v1/me").Json200())["tenant_id"]);

        // The person moves to another organisation in the identity provider. Within the claims' lifetime the session
        // stands; past it, the session is over and the issuer is asked again.
        issuer.SignedInUser = new Dictionary<string, object> { ["sub"] = "moving-member", ["preferred_username"] = "mo", ["waldur_customer_uuid"] = second.TenantId };
        clock.Advance(TimeSpan.FromMinutes(5));
        await browser.GetAsync($"/api/v1/accesses/{first.AccessId}").Json200();
        clock.Advance(TimeSpan.FromMinutes(11));
        // Under single sign-on a challenge (page or API) sends the person to the issuer.
        foreach (var path in new[] { $"/api/v1/accesses/{first.AccessId}", "/portal" })
        {
            var ended = await browser.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, ended.StatusCode);
            Assert.StartsWith(issuer.Authority, ended.Headers.Location!.ToString());
        }

        var again = await SignInAsync();
        Assert.Equal(second.TenantId, (string?)(await again.GetAsync("/api/v1/me").Json200())["tenant_id"]);
        Assert.Equal(HttpStatusCode.NotFound, (await again.GetAsync($"/api/v1/accesses/{first.AccessId}")).StatusCode);
    }
}

public sealed class OidcSessionsOnSqlite(OidcRegistry<Sqlite> app) : OidcSessionTests(app, app.Issuer, app.Clock), IClassFixture<OidcRegistry<Sqlite>>;

public sealed class OidcSessionsOnPostgres(OidcRegistry<Postgres> app) : OidcSessionTests(app, app.Issuer, app.Clock), IClassFixture<OidcRegistry<Postgres>>;
