using AgentRegistry.Identity;
using AgentRegistry.Identity.Tokens;
using System.Security.Cryptography;
using System.Text;
using AgentRegistry.Infrastructure;
using AgentRegistry.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentRegistry.Tests.Identity;

/// <summary>Personal access tokens: scripts use the API as a person, without a cookie, within the token's scopes.</summary>
public abstract class PersonalAccessTokenTests(RegistryApp app) : RegistryTest(app)
{
    private async Task<(string Id, string Secret)> TokenAsync(HttpClient owner, params string[] scopes)
    {
        var issued = await owner.PostJson("/api/v1/me/tokens", new { name = "script", scopes, expires_in_days = 7 }).Created();
        return (issued["token"]!.Id(), (string)issued["secret"]!);
    }

    [Fact]
    public async Task OperatorTokenScriptsTheApiWithoutACookie()
    {
        var (id, secret) = await TokenAsync(await Op(), "api:write");
        Assert.Matches("^ar_pat_[0-9A-Za-z]{38}$", secret);
        var script = App.WithKey(secret);
        var slug = Seed.Unique("scripted");
        var created = await script.PostJson("/api/v1/categories", new { name = "Scripted", slug }).Created();
        Assert.Equal(slug, (string?)(await script.GetAsync($"/api/v1/categories/{created.Id()}").Json200())["slug"]);

        // Listed with its prefix and last use, never with the secret; stored as a SHA-256 only.
        var listed = (await (await Op()).GetAsync("/api/v1/me/tokens").Json200()).AsArray().Single(t => t!.Id() == id)!;
        Assert.Equal(secret[..11], (string?)listed["prefix"]);
        Assert.DoesNotContain(secret, listed.ToJsonString());
        await using var scope = App.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<Caller>().AsSystem();
        var stored = await scope.ServiceProvider.GetRequiredService<RegistryDb>().PersonalAccessTokens.SingleAsync(t => t.Id == Guid.Parse(id));
        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(secret)), stored.Hash);
        Assert.NotNull(stored.LastUsedAt);
        var audit = await scope.ServiceProvider.GetRequiredService<RegistryDb>().AuditLogs.Where(a => a.EntityId == Guid.Parse(created.Id())).ToListAsync();
        Assert.All(audit, a => Assert.Equal(RegistryApp.AdminEmail, a.Actor));
    }

    [Fact]
    public async Task ReadOnlyTokenReadsButChangesNothing()
    {
        var op = await Op();
        var (_, secret) = await TokenAsync(op);
        var script = App.WithKey(secret);
        var before = (await script.GetAsync("/api/v1/categories?page_size=200").Json200()).Items().Count;
        await script.PostJson("/api/v1/categories", new { name = "Nope", slug = Seed.Unique("nope") }).Problem(403, "token-insufficient-scope");
        Assert.Equal(before, (await op.GetAsync("/api/v1/categories?page_size=200").Json200()).Items().Count);
    }

    [Fact]
    public async Task MemberTokenSeesOnlyItsTenant()
    {
        var op = await Op();
        var mine = await op.SubscribedTenantAsync();
        var other = await op.SubscribedTenantAsync();
        var (_, secret) = await TokenAsync(await App.MemberAsync(op, mine.TenantId), "api:write");
        var script = App.WithKey(secret);
        var accesses = (await script.GetAsync("/api/v1/accesses").Json200()).Items();
        Assert.Equal([mine.AccessId], accesses.Select(a => a!.Id()));
        await script.GetAsync($"/api/v1/accesses/{other.AccessId}").Problem(404);
        await script.PostJson("/api/v1/categories", new { name = "x", slug = Seed.Unique("x") }).Problem(403);
    }

    [Fact]
    public async Task RevokedTokenAndTokenOfADisabledAccountAreRefused()
    {
        var op = await Op();
        var (id, secret) = await TokenAsync(op, "api:read");
        Assert.Equal(204, (int)(await op.DeleteAsync($"/api/v1/me/tokens/{id}")).StatusCode);
        await App.WithKey(secret).GetAsync("/api/v1/agents").Problem(401, "token-revoked");

        var seeded = await op.SubscribedTenantAsync();
        var email = $"{Seed.Unique("leaver")}@test.local";
        var password = $"pw-{Guid.NewGuid():N}";
        var account = await op.PostJson("/api/v1/accounts", new { email, role = "member", tenant_id = seeded.TenantId, password }).Created();
        var (_, leaverSecret) = await TokenAsync(await App.SignInAsync(email, password));
        await App.WithKey(leaverSecret).GetAsync("/api/v1/accesses").Json200();
        await using (var scope = App.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<Caller>().AsSystem();
            await scope.ServiceProvider.GetRequiredService<RegistryDb>().LocalAccounts.Where(a => a.Id == Guid.Parse(account.Id()))
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.IsDisabled, true));
        }
        await App.WithKey(leaverSecret).GetAsync("/api/v1/accesses").Problem(401, "token-owner-disabled");
        await App.WithKey(secret[..^1] + (secret[^1] == 'A' ? 'B' : 'A')).GetAsync("/api/v1/agents").Problem(401, "token-checksum");
    }

    [Fact]
    public async Task TokenCannotMakeAnotherToken()
    {
        var (_, secret) = await TokenAsync(await Op(), "api:write");
        await App.WithKey(secret).PostJson("/api/v1/me/tokens", new { name = "child", scopes = new[] { "api:write" } }).Problem(403, "token-cannot-issue-token");
    }

    [Theory]
    [InlineData("scopes", "{\"name\": \"x\", \"scopes\": [\"admin\"]}")]
    [InlineData("expires_in_days", "{\"name\": \"x\", \"expires_in_days\": 0}")]
    [InlineData("expires_in_days", "{\"name\": \"x\", \"expires_in_days\": 400}")]
    [InlineData("name", "{\"name\": \" \"}")]
    public async Task BadTokenRequestsNameTheFieldAndMakeNothing(string field, string body)
    {
        var op = await Op();
        var before = (await op.GetAsync("/api/v1/me/tokens").Json200()).AsArray().Count;
        var problem = await op.PostAsync("/api/v1/me/tokens", new StringContent(body, Encoding.UTF8, "application/json")).Problem(422, "validation");
        Assert.NotNull(problem["errors"]![field]);
        Assert.Equal(before, (await op.GetAsync("/api/v1/me/tokens").Json200()).AsArray().Count);
    }

    [Fact]
    public async Task OperatorMakesATokenInTheAdminAndRevokesIt()
    {
        var op = await Op();
        var token = RegistryApp.AntiforgeryToken().Match(await op.GetStringAsync("/admin/tokens")).Groups[1].Value;
        var page = await (await op.PostAsync("/admin/tokens", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["Form.Name"] = "admin-made", ["Form.Scopes"] = "api:read", ["Form.ExpiresInDays"] = "30",
        }))).Content.ReadAsStringAsync();
        var secret = System.Text.RegularExpressions.Regex.Match(page, "id=\"token-plaintext\">(ar_pat_[0-9A-Za-z]+)<").Groups[1].Value;
        await App.WithKey(secret).GetAsync("/api/v1/agents").Json200();
        Assert.DoesNotContain(secret, await op.GetStringAsync("/admin/tokens"));

        var id = (await op.GetAsync("/api/v1/me/tokens").Json200()).AsArray().Single(t => (string?)t!["name"] == "admin-made")!.Id();
        var listing = await op.GetStringAsync("/admin/tokens");
        var revoke = await op.PostAsync($"/admin/tokens?handler=Revoke&id={id}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = RegistryApp.AntiforgeryToken().Match(listing).Groups[1].Value,
        }));
        Assert.Equal(302, (int)revoke.StatusCode);
        await App.WithKey(secret).GetAsync("/api/v1/agents").Problem(401, "token-revoked");
    }
}

public sealed class PersonalAccessTokensOnSqlite(RegistryApp<Sqlite> app) : PersonalAccessTokenTests(app), IClassFixture<RegistryApp<Sqlite>>;
public sealed class PersonalAccessTokensOnPostgres(RegistryApp<Postgres> app) : PersonalAccessTokenTests(app), IClassFixture<RegistryApp<Postgres>>;
