using System.Net.Http.Headers;
using System.Security.Cryptography;
using AgentRegistry.Tests.Infrastructure;

namespace AgentRegistry.Tests.Identity;

/// <summary>Bearer tokens from an OpenID Connect issuer (Keycloak in production; a local issuer here).</summary>
public abstract class OidcTests(RegistryApp app, TestIssuer issuer) : RegistryTest(app)
{
    private HttpClient Bearer(string token)
    {
        var client = App.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    [Fact]
    public async Task OperatorRoleFromTheTokenManagesTheCatalog()
    {
        var client = Bearer(issuer.Token(new Dictionary<string, object>
        {
            ["sub"] = "op-1", ["preferred_username"] = "olga", ["roles"] = new[] { "agentregistry-operator" },
        }));
        var me = await client.GetAsync("/api/v1/me").Json200();
        Assert.Equal("operator", (string?)me["role"]);
        Assert.Equal("oidc:olga", (string?)me["actor"]);
        await client.PostJson("/api/v1/categories", new { name = "From SSO", slug = Seed.Unique("sso") }).Created();
    }

    [Fact]
    public async Task PeopleSignInThroughTheIssuerAndGetTheirRole()
    {
        issuer.SignedInUser = new Dictionary<string, object>
        {
            ["sub"] = "op-web", ["preferred_username"] = "oona", ["roles"] = new[] { "agentregistry-operator" },
        };
        var cookies = new System.Net.CookieContainer();
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = App.BaseAddress };

        // The admin sends an anonymous person to the issuer (code flow with PKCE)...
        var challenge = await browser.GetAsync("/admin");
        Assert.Equal(System.Net.HttpStatusCode.Redirect, challenge.StatusCode);
        var authorize = challenge.Headers.Location!;
        Assert.StartsWith(issuer.Authority + "/auth", authorize.ToString());
        Assert.Contains("code_challenge=", authorize.Query);

        // ...which signs them in and posts the code back to the registry, which redeems it.
        var form = await new HttpClient().GetStringAsync(authorize);
        var action = System.Text.RegularExpressions.Regex.Match(form, "action=\"([^\"]+)\"").Groups[1].Value;
        var fields = System.Text.RegularExpressions.Regex.Matches(form, "name=\"(\\w+)\" value=\"([^\"]*)\"")
            .ToDictionary(m => m.Groups[1].Value, m => System.Net.WebUtility.HtmlDecode(m.Groups[2].Value));
        var callback = await browser.PostAsync(action, new FormUrlEncodedContent(fields));
        Assert.Equal(System.Net.HttpStatusCode.Redirect, callback.StatusCode);

        var me = await browser.GetAsync("/api/v1/me").Json200();
        Assert.Equal("operator", (string?)me["role"]);
        Assert.Equal("oidc:oona", (string?)me["actor"]);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await browser.GetAsync("/admin")).StatusCode);
    }

    [Fact]
    public async Task KeycloakRealmRolesAreRead()
    {
        var client = Bearer(issuer.Token(new Dictionary<string, object>
        {
            ["sub"] = "op-2", ["realm_access"] = new Dictionary<string, object> { ["roles"] = new[] { "offline_access", "agentregistry-operator" } },
        }));
        Assert.Equal("operator", (string?)(await client.GetAsync("/api/v1/me").Json200())["role"]);
    }

    [Fact]
    public async Task TenantClaimMakesAMemberOfThatTenantOnly()
    {
        var op = await Op();
        var a = await op.SubscribedTenantAsync();
        var b = await op.SubscribedTenantAsync();
        var waldurCustomer = Guid.NewGuid();
        var tenantA = await op.GetAsync($"/api/v1/tenants/{a.TenantId}").Json200();
        await op.PutJson($"/api/v1/tenants/{a.TenantId}", new { name = (string)tenantA["name"]!, slug = (string)tenantA["slug"]!, waldur_customer_uuid = waldurCustomer }).Json200();

        var member = Bearer(issuer.Token(new Dictionary<string, object> { ["sub"] = "m-1", ["waldur_customer_uuid"] = waldurCustomer.ToString("N") }));
        var me = await member.GetAsync("/api/v1/me").Json200();
        Assert.Equal("member", (string?)me["role"]);
        Assert.Equal(a.TenantId, (string?)me["tenant_id"]);
        await member.GetAsync($"/api/v1/accesses/{a.AccessId}").Json200();
        await member.GetAsync($"/api/v1/accesses/{b.AccessId}").Problem(404);
        await member.PostJson("/api/v1/categories", new { name = "x", slug = Seed.Unique("x") }).Problem(403);
    }

    [Fact]
    public async Task TokenNamingSeveralTenantsOrKeycloakGroupsMakesAMemberOfEachOneAtATime()
    {
        var op = await Op();
        var a = await op.SubscribedTenantAsync();
        var b = await op.SubscribedTenantAsync();
        var c = await op.SubscribedTenantAsync();
        var stranger = await op.SubscribedTenantAsync();
        var waldurCustomer = Guid.NewGuid();
        var tenantA = await op.GetAsync($"/api/v1/tenants/{a.TenantId}").Json200();
        await op.PutJson($"/api/v1/tenants/{a.TenantId}", new { name = (string)tenantA["name"]!, slug = (string)tenantA["slug"]!, waldur_customer_uuid = waldurCustomer }).Json200();

        var member = Bearer(issuer.Token(new Dictionary<string, object>
        {
            ["sub"] = "m-many",
            ["waldur_customer_uuid"] = new[] { waldurCustomer.ToString("N"), b.TenantId },
            ["groups"] = new[] { $"/customers/{c.TenantId}", "/staff/support", $"/customers/{Guid.NewGuid()}" },
        }));
        var me = await member.GetAsync("/api/v1/me").Json200();
        Assert.Equal("member", (string?)me["role"]);
        Assert.Equal([a.TenantId, b.TenantId, c.TenantId], me["tenant_ids"]!.AsArray().Select(t => (string)t!));
        Assert.Equal(a.TenantId, (string?)me["tenant_id"]);

        // One tenant at a time: the first by default, another when asked for; never one the token does not name.
        var list = await member.GetStringAsync("/api/v1/accesses");
        Assert.Contains(a.AccessId, list);
        Assert.DoesNotContain(b.AccessId, list);
        member.DefaultRequestHeaders.Add("X-Tenant-Id", c.TenantId);
        list = await member.GetStringAsync("/api/v1/accesses");
        Assert.Contains(c.AccessId, list);
        Assert.DoesNotContain(a.AccessId, list);
        member.DefaultRequestHeaders.Remove("X-Tenant-Id");
        member.DefaultRequestHeaders.Add("X-Tenant-Id", stranger.TenantId);
        list = await member.GetStringAsync("/api/v1/accesses");
        Assert.DoesNotContain(stranger.AccessId, list);
        Assert.Contains(a.AccessId, list);
    }

    [Fact]
    public async Task TokenWithoutRoleOrTenantIsForbidden()
    {
        var client = Bearer(issuer.Token(new Dictionary<string, object> { ["sub"] = "nobody" }));
        await client.GetAsync("/api/v1/tenants").Problem(403);
    }

    [Fact]
    public async Task ForgedExpiredAndMisaddressedTokensAreRefused()
    {
        var operatorClaims = new Dictionary<string, object> { ["sub"] = "op-3", ["roles"] = new[] { "agentregistry-operator" } };
        using var foreign = RSA.Create(2048);
        await Bearer(issuer.Token(operatorClaims, signWith: foreign)).GetAsync("/api/v1/tenants").Problem(401, "invalid-token");
        await Bearer(issuer.Token(operatorClaims, lifetime: TimeSpan.FromMinutes(-10))).GetAsync("/api/v1/tenants").Problem(401, "invalid-token");
        await Bearer(issuer.Token(operatorClaims, audience: "someone-else")).GetAsync("/api/v1/tenants").Problem(401, "invalid-token");
        await Bearer("not-a-jwt").GetAsync("/api/v1/tenants").Problem(401, "invalid-token");
    }
}

public sealed class OidcOnSqlite(OidcRegistry<Sqlite> app) : OidcTests(app, app.Issuer), IClassFixture<OidcRegistry<Sqlite>>;

public sealed class OidcOnPostgres(OidcRegistry<Postgres> app) : OidcTests(app, app.Issuer), IClassFixture<OidcRegistry<Postgres>>;
