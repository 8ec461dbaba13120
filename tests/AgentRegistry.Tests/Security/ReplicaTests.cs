using System.Net.Http.Headers;
using AgentRegistry.Tests.Infrastructure;
using AgentRegistry.Tests.Knowledge;
using Microsoft.Extensions.DependencyInjection;

namespace AgentRegistry.Tests.Security;

/// <summary>
/// A registry on PostgreSQL with Redis (AGENTREGISTRY_TEST_REDIS, default 127.0.0.1:6379), under a key prefix of its own
/// so that tests sharing the server never meet. Without Redis (not configured and not found) the suite is skipped with
/// the reason, failed under CI=true; a configured Redis that cannot be reached fails it.
/// </summary>
public sealed class RedisPostgresRegistry : RegistryApp<Postgres>
{
    public static readonly string RedisServer = Environment.GetEnvironmentVariable("AGENTREGISTRY_TEST_REDIS") ?? "127.0.0.1:6379";

    protected override async Task<string?> StartSurroundingsAsync()
    {
        try
        {
            await using var probe = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync($"{RedisServer},connectTimeout=2000");
            await probe.GetDatabase().PingAsync();
        }
        catch (StackExchange.Redis.RedisConnectionException e) when (!Requirement.Configured("AGENTREGISTRY_TEST_REDIS")
            && e.FailureType != StackExchange.Redis.ConnectionFailureType.AuthenticationFailure)
        {
            return $"Redis is not reachable at {RedisServer} ({e.Message}); set AGENTREGISTRY_TEST_REDIS or run .ci/run.";
        }
        return null;
    }

    protected override void Configure(IDictionary<string, string?> settings)
    {
        settings["Redis:Configuration"] = RedisServer;
        settings["Redis:KeyPrefix"] = $"test-{Guid.NewGuid():N}:";
        // Long enough that only the broadcast can explain a revocation seen at once on the other replica.
        settings["ApiKeys:CacheSeconds"] = "600";
        settings["Widget:VisitorMessagesPerMinute"] = "4";
    }
}

/// <summary>Two replicas on one PostgreSQL database and one Redis: revocations and limits hold across both.</summary>
public sealed class ReplicaTests(RedisPostgresRegistry app) : RegistryTest(app), IClassFixture<RedisPostgresRegistry>
{
    private const string Shop = "https://shop.example.com";

    [Fact]
    public async Task AKeyRevokedOnOneReplicaStopsAtOnceOnTheOther()
    {
        var t = await App.TenantAsync(await Op());
        await using var replica = new Replica(App.Settings);
        using var b = new HttpClient { BaseAddress = replica.Start() };
        b.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", t.KeyText);
        await b.GetAsync("/v1/models").Json200(); // B now trusts the key for ApiKeys:CacheSeconds (600 s)

        var keys = await t.Member.GetAsync($"/api/v1/accesses/{t.Seeded.AccessId}/api-keys").Json200();
        var keyId = keys.AsArray().Select(k => k!).Single(k => t.KeyText.StartsWith((string)k["prefix"]!, StringComparison.Ordinal)).Id();
        Assert.Equal(204, (int)(await t.Member.DeleteAsync($"/api/v1/accesses/{t.Seeded.AccessId}/api-keys/{keyId}")).StatusCode);

        // Pub/sub delivery takes a moment; the deadline is far below the 600 s the cache would otherwise keep the key.
        var until = Deadline.InSeconds(20);
        HttpResponseMessage response;
        while ((int)(response = await b.GetAsync("/v1/models")).StatusCode == 200)
        {
            Assert.True(until.Open, "Replica B still accepts the key revoked on A");
            await Task.Delay(50);
        }
        await Task.FromResult(response).Problem(401, "api-key-revoked");
    }

    [Fact]
    public async Task AWidgetLimitOfNIsNAcrossBothReplicas()
    {
        var t = await App.TenantAsync(await Op());
        var widget = await t.Member.PostJson($"/api/v1/accesses/{t.Seeded.AccessId}/widgets", new { name = "Shop", allowed_origins = new[] { Shop } }).Created();
        var key = (string)widget["key"]!;
        await using var replica = new Replica(App.Settings);
        var clients = new[] { App.Anonymous(), new HttpClient { BaseAddress = replica.Start() } };

        HttpRequestMessage From(HttpMethod method, string url, string? token = null)
        {
            var request = new HttpRequestMessage(method, url);
            request.Headers.Add("Origin", Shop);
            if (token is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                request.Content = System.Net.Http.Json.JsonContent.Create(new { message = "When are you open?" }, options: Api.Json);
            }
            return request;
        }

        var token = (string)(await clients[0].SendAsync(From(HttpMethod.Get, $"/api/widget/v1/{key}/init")).Json200())["visitor_token"]!;
        var statuses = new List<int>();
        for (var i = 0; i < 8; i++)
            statuses.Add((int)(await clients[i % 2].SendAsync(From(HttpMethod.Post, $"/api/widget/v1/{key}/messages", token))).StatusCode);
        Assert.Equal(4, statuses.Count(s => s == 200));
        Assert.Equal(4, statuses.Count(s => s == 429));
    }
}
