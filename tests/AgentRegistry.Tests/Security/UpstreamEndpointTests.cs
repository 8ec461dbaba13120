using AgentRegistry.Tests.Chat;
using AgentRegistry.Tests.Infrastructure;
using AgentRegistry.Tests.Knowledge;

namespace AgentRegistry.Tests.Security;

/// <summary>An agent's endpoint is data an operator edits: where it may point, and which key goes there, is configuration's say.</summary>
public abstract class UpstreamEndpointTests(RegistryApp app, FakeUpstream upstream) : RegistryTest(app)
{
    private async Task<Trained> AgentAtAsync(string endpoint, string model) => await App.RelayAsync(await Op(), endpoint, model);

    private int Calls(string model) => upstream.Requests.Count(r => (string?)r.Body["model"] == model);

    [Fact]
    public async Task AnAgentPointedAtAnInternalAddressIsRefusedAndNothingIsSent()
    {
        var port = upstream.BaseAddress.Port;
        // "localhost" is not the configured host: it resolves to loopback, which is checked when connecting.
        foreach (var endpoint in new[] { $"http://localhost:{port}/v1", "http://169.254.169.254/latest/v1", $"http://[::1]:{port}/v1", "http://10.1.2.3/v1" })
        {
            var model = "good-" + Guid.NewGuid().ToString("N")[..8];
            var t = await AgentAtAsync(endpoint, model);
            var problem = await t.Key.PostJson("/api/v1/chat", new { message = "Anyone there?" }).Problem(502, "llm-endpoint-refused");
            Assert.Contains("Llm:AllowedHosts", (string?)problem["title"]);
            Assert.Equal(0, Calls(model));
        }
    }

    [Fact]
    public async Task TheUpstreamKeyGoesOnlyToTheEndpointItIsConfiguredFor()
    {
        var own = await AgentAtAsync(upstream.V1, "good");
        await own.AskAsync("Hello?");
        Assert.Equal("Bearer sk-test-upstream", upstream.Requests.Last(r => (string?)r.Body["model"] == "good").Authorization);

        // Same host, another base URL (another service behind the same address): it gets no key.
        var model = "good-" + Guid.NewGuid().ToString("N")[..8];
        var other = await AgentAtAsync(new Uri(upstream.BaseAddress, "/proxy/v1").ToString(), model);
        await other.AskAsync("Hello?");
        var (authorization, _) = upstream.Requests.Single(r => (string?)r.Body["model"] == model);
        Assert.DoesNotContain("sk-test-upstream", authorization ?? "");
    }
}

public sealed class UpstreamEndpointsOnSqlite(UpstreamRegistry<Sqlite> app) : UpstreamEndpointTests(app, app.Upstream), IClassFixture<UpstreamRegistry<Sqlite>>;

public sealed class UpstreamEndpointsOnPostgres(UpstreamRegistry<Postgres> app) : UpstreamEndpointTests(app, app.Upstream), IClassFixture<UpstreamRegistry<Postgres>>;
