using System.Net;
using AgentRegistry.Tests.Infrastructure;
using AgentRegistry.Tests.Portal;

namespace AgentRegistry.Tests.Security;

/// <summary>
/// A sign-in cookie is only as good as the account behind it: disabling the account, moving it to another tenant,
/// giving it a new password or signing out ends every session at once, and a copy of the old cookie gets nothing.
/// </summary>
public abstract class SessionTests(RegistryApp app) : RegistryTest(app)
{
    private sealed record Member(string Id, string Email, string Password, HttpClient Client, string Cookie);

    private async Task<(Seeded Seeded, Member Member)> MemberAsync()
    {
        var op = await Op();
        var seeded = await op.SubscribedTenantAsync();
        var email = $"{Seed.Unique("session")}@test.local";
        var password = $"pw-{Guid.NewGuid():N}";
        var account = await op.PostJson("/api/v1/accounts", new { email, role = "member", tenant_id = seeded.TenantId, password }).Created();
        var (client, cookie) = await SignInAsync(email, password);
        return (seeded, new Member(account.Id(), email, password, client, cookie));
    }

    /// <summary>Signs in through the login form; the cookie is returned as an attacker who copied it would replay it.</summary>
    private async Task<(HttpClient Client, string Cookie)> SignInAsync(string email, string password)
    {
        var cookies = new CookieContainer();
        var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = App.BaseAddress };
        var token = RegistryApp.AntiforgeryToken().Match(await client.GetStringAsync("/login")).Groups[1].Value;
        var response = await client.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = email, ["Password"] = password, ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return (client, cookies.GetCookieHeader(App.BaseAddress));
    }

    private HttpClient Replaying(string cookie)
    {
        var client = App.Anonymous();
        client.DefaultRequestHeaders.Add("Cookie", cookie);
        return client;
    }

    /// <summary>The operator changes the account in the admin, as a person would.</summary>
    private async Task EditAccountAsync(Member member, string tenantId, bool disabled = false, string password = "", string? otherTenant = null)
    {
        var fields = new List<KeyValuePair<string, string>>
        {
            new("Form.Email", member.Email), new("Form.Role", "member"), new("Form.TenantId", tenantId), new("Form.Password", password),
        };
        if (disabled) fields.Add(new("Form.IsDisabled", "true"));
        if (otherTenant is not null) fields.Add(new("Form.OtherTenantIds", otherTenant));
        var page = $"/admin/accounts/edit/{member.Id}";
        var saved = await (await Op()).PostFormAsync(page, null, fields);
        Assert.True(saved.StatusCode == HttpStatusCode.Redirect, $"Saving {page} answered {(int)saved.StatusCode}: {await saved.Content.ReadAsStringAsync()}");
    }

    private async Task<int> KeyCountAsync(string accessId) =>
        (await (await Op()).GetAsync($"/api/v1/accesses/{accessId}/api-keys").Json200()).AsArray().Count;

    [Fact]
    public async Task ADisabledMembersOldCookieCanNoLongerCreateAnApiKey()
    {
        var (seeded, member) = await MemberAsync();
        await member.Client.PostJson($"/api/v1/accesses/{seeded.AccessId}/api-keys", new { name = "while enabled" }).Created();
        Assert.Equal(1, await KeyCountAsync(seeded.AccessId));

        await EditAccountAsync(member, seeded.TenantId, disabled: true);

        await member.Client.PostJson($"/api/v1/accesses/{seeded.AccessId}/api-keys", new { name = "after disabling" }).Problem(401);
        await Replaying(member.Cookie).PostJson($"/api/v1/accesses/{seeded.AccessId}/api-keys", new { name = "replayed" }).Problem(401);
        var portal = await Replaying(member.Cookie).GetAsync($"/portal/accesses/{seeded.AccessId}/keys");
        Assert.Equal(HttpStatusCode.Redirect, portal.StatusCode);
        Assert.Contains("/login", portal.Headers.Location!.OriginalString);
        Assert.Equal(1, await KeyCountAsync(seeded.AccessId));
    }

    [Fact]
    public async Task ASignedOutCookieReplayedIsRefused()
    {
        var (_, member) = await MemberAsync();
        await Replaying(member.Cookie).GetAsync("/api/v1/me").Json200();

        // The sign-out form of the portal's header posts to the sign-in page's Logout handler.
        var signedOut = await member.Client.PostFormAsync("/login", "Logout", [], token: await member.Client.TokenAsync("/portal"));
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);

        await Replaying(member.Cookie).GetAsync("/api/v1/me").Problem(401);
        // Signing in again gives a working session.
        var again = await App.SignInAsync(member.Email, member.Password);
        await again.GetAsync("/api/v1/me").Json200();
    }

    [Fact]
    public async Task ANewPasswordOrAnotherTenantEndsTheSessionsTheAccountHad()
    {
        var (seeded, member) = await MemberAsync();
        var newPassword = $"pw-{Guid.NewGuid():N}";
        await EditAccountAsync(member, seeded.TenantId, password: newPassword);
        await Replaying(member.Cookie).GetAsync("/api/v1/me").Problem(401);

        var (signedIn, cookie) = await SignInAsync(member.Email, newPassword);
        var me = await signedIn.GetAsync("/api/v1/me").Json200();
        Assert.Equal(seeded.TenantId, (string?)me["tenant_id"]);

        var other = await (await Op()).PostJson("/api/v1/tenants", new { name = "Other", slug = Seed.Unique("other") }).Created();
        await EditAccountAsync(member, other.Id());
        await Replaying(cookie).GetAsync($"/api/v1/accesses/{seeded.AccessId}").Problem(401);
        await Replaying(cookie).GetAsync("/api/v1/me").Problem(401);

        // A further tenant added is a change of tenants too.
        var (_, movedCookie) = await SignInAsync(member.Email, newPassword);
        await EditAccountAsync(member, other.Id(), otherTenant: seeded.TenantId);
        await Replaying(movedCookie).GetAsync("/api/v1/me").Problem(401);
    }

    [Fact]
    public async Task AnUnchangedAccountKeepsItsSessionWhenTheOperatorSavesOnlyItsDisplayName()
    {
        var (seeded, member) = await MemberAsync();
        await EditAccountAsync(member, seeded.TenantId);
        var me = await Replaying(member.Cookie).GetAsync("/api/v1/me").Json200();
        Assert.Equal(seeded.TenantId, (string?)me["tenant_id"]);
    }
}

public sealed class SessionsOnSqlite(RegistryApp<Sqlite> app) : SessionTests(app), IClassFixture<RegistryApp<Sqlite>>;

public sealed class SessionsOnPostgres(RegistryApp<Postgres> app) : SessionTests(app), IClassFixture<RegistryApp<Postgres>>;
