using AgentRegistry.Access;
using AgentRegistry.Infrastructure;
using AgentRegistry.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentRegistry.Tests.Access;

public abstract class ApiKeyTests(RegistryApp app) : RegistryTest(app)
{
    [Fact]
    public async Task IssuedKeyIsShownOnceAndStoredOnlyAsAHash()
    {
        var op = await Op();
        var seeded = await op.SubscribedTenantAsync();
        var key = await op.IssueKeyAsync(seeded.AccessId);

        var list = await op.GetAsync($"/api/v1/accesses/{seeded.AccessId}/api-keys").Json200();
        var listed = Assert.Single(list.AsArray())!;
        Assert.Null(listed["key"]);
        Assert.Equal(key[..12], (string?)listed["prefix"]);
        Assert.Equal("active", (string?)listed["status"]);
        Assert.DoesNotContain(key, list.ToJsonString());

        await using var scope = App.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<Caller>().AsSystem();
        var db = scope.ServiceProvider.GetRequiredService<RegistryDb>();
        var stored = await db.ApiKeys.SingleAsync(k => k.AccessId == Guid.Parse(seeded.AccessId));
        Assert.Equal(AgentRegistry.Access.ApiKeyFormat.Hash(key), stored.Hash);
    }

    [Fact]
    public async Task KeyCallsAnApiKeyEndpoint()
    {
        var op = await Op();
        var seeded = await op.SubscribedTenantAsync();
        var key = await op.IssueKeyAsync(seeded.AccessId);

        var models = await App.WithKey(key).GetAsync("/v1/models").Json200();
        Assert.Equal(seeded.AgentSlug, (string?)models["data"]![0]!["id"]);
    }

    [Fact]
    public async Task BadKeysGetAProblemNamingTheDefect()
    {
        var op = await Op();
        var seeded = await op.SubscribedTenantAsync();
        var key = await op.IssueKeyAsync(seeded.AccessId);
        var typo = key[..^1] + (key[^1] == 'a' ? 'b' : 'a');

        await App.WithKey("ar_live_nope").GetAsync("/v1/models").Problem(401, "api-key-malformed");
        await App.WithKey(typo).GetAsync("/v1/models").Problem(401, "api-key-checksum");
        await App.WithKey(AgentRegistry.Access.ApiKeyFormat.Generate()).GetAsync("/v1/models").Problem(401, "api-key-unknown");
        await App.Anonymous().GetAsync("/v1/models").Problem(401);
    }

    [Fact]
    public async Task RevokedKeyStopsWorkingAtOnce()
    {
        var op = await Op();
        var seeded = await op.SubscribedTenantAsync();
        var issued = await op.PostJson($"/api/v1/accesses/{seeded.AccessId}/api-keys", new { name = "ci" }).Created();
        var key = (string)issued["key"]!;
        var client = App.WithKey(key);
        await client.GetAsync("/v1/models").Json200();

        var revoke = await op.DeleteAsync($"/api/v1/accesses/{seeded.AccessId}/api-keys/{issued["api_key"]!.Id()}");
        Assert.Equal(204, (int)revoke.StatusCode);
        await client.GetAsync("/v1/models").Problem(401, "api-key-revoked");
    }

    [Fact]
    public async Task VerifiedKeysAreServedFromMemoryUntilChangedThroughTheRegistry()
    {
        var op = await Op();
        var seeded = await op.SubscribedTenantAsync();
        var issued = await op.PostJson($"/api/v1/accesses/{seeded.AccessId}/api-keys", new { name = "cached" }).Created();
        var client = App.WithKey((string)issued["key"]!);
        await client.GetAsync("/v1/models").Json200();

        // The key revoked in the database behind the registry's back still works while it is cached: proof that
        // verification does not read the database per request (without the cache this answers 401).
        await using (var scope = App.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<Caller>().AsSystem();
            var db = scope.ServiceProvider.GetRequiredService<RegistryDb>();
            Assert.Equal(1, await db.ApiKeys.Where(k => k.Id == Guid.Parse(issued["api_key"]!.Id()))
                .ExecuteUpdateAsync(s => s.SetProperty(k => k.RevokedAt, App.Clock.UtcNow)));
        }
        await client.GetAsync("/v1/models").Json200();

        // A change of the access through the registry evicts its keys at once: the key is read again, now revoked.
        await op.PatchJson($"/api/v1/accesses/{seeded.AccessId}", new { state = "suspended" }).Json200();
        await client.GetAsync("/v1/models").Problem(401, "api-key-revoked");
    }

    [Fact]
    public async Task LastUsedAtIsTheTimeOfTheLatestUseCachedOrNot()
    {
        var op = await Op();
        var seeded = await op.SubscribedTenantAsync();
        var issued = await op.PostJson($"/api/v1/accesses/{seeded.AccessId}/api-keys", new { name = "used" }).Created();
        var client = App.WithKey((string)issued["key"]!);
        var tracker = App.Services.GetRequiredService<ApiKeyUsageTracker>();
        async Task<DateTime?> LastUsedAsync()
        {
            var keys = await op.GetAsync($"/api/v1/accesses/{seeded.AccessId}/api-keys").Json200();
            return (DateTime?)keys.AsArray().Single(k => k!.Id() == issued["api_key"]!.Id())!["last_used_at"];
        }

        Assert.Null(await LastUsedAsync());
        var first = new DateTime(2026, 5, 4, 10, 0, 0, DateTimeKind.Utc);
        App.Clock.StopAt(first);
        try
        {
            await client.GetAsync("/v1/models").Json200();
            await tracker.FlushAsync(TestContext.Current.CancellationToken);
            Assert.Equal(first, await LastUsedAsync());

            // The second use is served from the cache and still counts.
            App.Clock.Advance(TimeSpan.FromMinutes(5));
            await client.GetAsync("/v1/models").Json200();
            await tracker.FlushAsync(TestContext.Current.CancellationToken);
            Assert.Equal(first.AddMinutes(5), await LastUsedAsync());
        }
        finally { App.Clock.Resume(); }
    }

    [Fact]
    public async Task RotatedKeyOverlapsThenTheOldOneExpires()
    {
        var op = await Op();
        var seeded = await op.SubscribedTenantAsync();
        var issued = await op.PostJson($"/api/v1/accesses/{seeded.AccessId}/api-keys", new { name = "rotating" }).Created();
        var oldKey = (string)issued["key"]!;
        var keyId = issued["api_key"]!.Id();

        var rotated = await op.PostJson($"/api/v1/accesses/{seeded.AccessId}/api-keys/{keyId}/rotate", new { overlap_hours = 1 }).Json200();
        var newKey = (string)rotated["key"]!;
        Assert.NotEqual(oldKey, newKey);
        await App.WithKey(oldKey).GetAsync("/v1/models").Json200();
        await App.WithKey(newKey).GetAsync("/v1/models").Json200();

        var keys = (await op.GetAsync($"/api/v1/accesses/{seeded.AccessId}/api-keys").Json200()).AsArray();
        var old = keys.Single(k => k!.Id() == keyId)!;
        Assert.Equal(rotated["api_key"]!.Id(), (string?)old["replaced_by_id"]);
        Assert.NotNull(old["expires_at"]);

        // Rotating the new key without overlap ends it at once.
        var again = await op.PostJson($"/api/v1/accesses/{seeded.AccessId}/api-keys/{rotated["api_key"]!.Id()}/rotate", new { overlap_hours = 0 }).Json200();
        await App.WithKey(newKey).GetAsync("/v1/models").Problem(401);
        await App.WithKey((string)again["key"]!).GetAsync("/v1/models").Json200();
    }

    [Fact]
    public async Task ExpiredKeyIsRefusedAsExpired()
    {
        var op = await Op();
        var seeded = await op.SubscribedTenantAsync();
        var issued = await op.PostJson($"/api/v1/accesses/{seeded.AccessId}/api-keys",
            new { name = "short", expires_at = App.Clock.GetUtcNow().UtcDateTime.AddMinutes(10) }).Created();
        var client = App.WithKey((string)issued["key"]!);
        await client.GetAsync("/v1/models").Json200();
        App.Clock.Advance(TimeSpan.FromMinutes(11));
        try { await client.GetAsync("/v1/models").Problem(401, "api-key-expired"); }
        finally { App.Clock.Resume(); }
    }

    [Fact]
    public async Task KeyWithoutTheChatScopeIsForbiddenOnChatEndpoints()
    {
        var op = await Op();
        var seeded = await op.SubscribedTenantAsync();
        var key = await op.IssueKeyAsync(seeded.AccessId, "usage:write");
        await App.WithKey(key).GetAsync("/v1/models").Problem(403, "insufficient-scope");
    }

    [Fact]
    public async Task InvalidKeyRequestsAreRejectedByField()
    {
        var op = await Op();
        var seeded = await op.SubscribedTenantAsync();
        var url = $"/api/v1/accesses/{seeded.AccessId}/api-keys";
        Assert.NotNull((await op.PostJson(url, new { name = "x", scopes = new[] { "root" } }).Problem(422))["errors"]!["scopes"]);
        Assert.NotNull((await op.PostJson(url, new { name = "x", expires_at = App.Clock.UtcNow.AddDays(-1) }).Problem(422))["errors"]!["expires_at"]);
        Assert.NotNull((await op.PostJson(url, new { name = "" }).Problem(422))["errors"]!["name"]);
        Assert.Empty((await op.GetAsync(url).Json200()).AsArray());
    }

    [Fact]
    public async Task TerminatedAccessRevokesItsKeysAndGetsNoNewOnes()
    {
        var op = await Op();
        var seeded = await op.SubscribedTenantAsync();
        var key = await op.IssueKeyAsync(seeded.AccessId);
        await App.WithKey(key).GetAsync("/v1/models").Json200();

        await op.PatchJson($"/api/v1/accesses/{seeded.AccessId}", new { state = "terminated" }).Json200();
        await App.WithKey(key).GetAsync("/v1/models").Problem(401, "api-key-revoked");
        await op.PostJson($"/api/v1/accesses/{seeded.AccessId}/api-keys", new { name = "late" }).Problem(409, "access-terminated");
        await op.PatchJson($"/api/v1/accesses/{seeded.AccessId}", new { state = "active" }).Problem(409, "invalid-state-transition");
    }
}

public sealed class ApiKeysOnSqlite(RegistryApp<Sqlite> app) : ApiKeyTests(app), IClassFixture<RegistryApp<Sqlite>>;

public sealed class ApiKeysOnPostgres(RegistryApp<Postgres> app) : ApiKeyTests(app), IClassFixture<RegistryApp<Postgres>>;
