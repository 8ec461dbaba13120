using AgentRegistry.Catalog;
using AgentRegistry.Waldur;
using AgentRegistry.Widget;
using System.Xml.Linq;
using AgentRegistry.Access;
using AgentRegistry.Infrastructure;
using AgentRegistry.Tests.Infrastructure;
using AgentRegistry.Tests.Waldur;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentRegistry.Tests.Operations;

/// <summary><c>agentregistry e2e --smoke</c> against a registry the test started: readable lines, a JUnit report, exit codes.</summary>
public abstract class E2eSmokeTests(RegistryApp app) : RegistryTest(app)
{
    [Fact]
    public async Task SmokeRunPassesAgainstARunningRegistryAndWritesJUnit()
    {
        var op = await Op();
        var seeded = await op.SubscribedTenantAsync();
        var key = await op.IssueKeyAsync(seeded.AccessId, "chat");
        var junit = Path.Combine(Path.GetTempPath(), $"e2e-{Guid.NewGuid():N}.xml");
        var (exit, output) = await CommandLineRunner.RunAsync(App, "e2e", "--url", App.BaseAddress.ToString(), "--smoke", "--api-key", key, "--junit", junit);

        Assert.True(exit == 0, output);
        Assert.DoesNotContain("FAIL", output);
        foreach (var check in new[] { "health: live", "health: ready", "OpenAPI document", "anonymous API call is refused", "test delivery is stored",
                     "widget loader", "models (OpenAI-compatible)", "chat completion (OpenAI-compatible)" })
            Assert.Matches($"(?m)^PASS  \\w+ +{System.Text.RegularExpressions.Regex.Escape(check)} ", output);
        Assert.Contains("SKIP  auth      personal access token signs in", output);

        var report = XDocument.Load(junit);
        File.Delete(junit);
        Assert.Equal(0, (int)report.Root!.Attribute("failures")!);
        Assert.Equal(output.Split('\n').Count(l => l.StartsWith("PASS") || l.StartsWith("SKIP")), (int)report.Root.Attribute("tests")!);
        Assert.Contains(report.Descendants("testcase"), t => (string?)t.Attribute("name") == "test delivery is stored");

        // The test delivery was stored, and nothing acted on it.
        await using var scope = App.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<Caller>().AsSystem();
        Assert.True(await scope.ServiceProvider.GetRequiredService<RegistryDb>().WebhookEvents.AnyAsync(e => e.EventType == "agentregistry_e2e_test"));
    }

    [Fact]
    public async Task FailingCheckIsNamedAndExitsOne()
    {
        var unknownKey = ApiKeyFormat.Generate();
        var (exit, output) = await CommandLineRunner.RunAsync(App, "e2e", "--url", App.BaseAddress.ToString(), "--smoke", "--category", "api", "--api-key", unknownKey);
        Assert.Equal(1, exit);
        Assert.Matches("(?m)^FAIL  api +models \\(OpenAI-compatible\\) .*expected 200, got 401", output);
        Assert.Contains("PASS  api       health: live", output);
        Assert.DoesNotContain("widget loader", output);
    }

    [Theory]
    [InlineData("--category", "everything")]
    [InlineData("--env", "nowhere")]
    [InlineData("--env", "production")]
    [InlineData("--url", "ftp://example.com")]
    [InlineData("--frobnicate", "x")]
    public async Task BadArgumentsExitTwoAndRunNothing(string option, string value)
    {
        var (exit, output) = await CommandLineRunner.RunAsync(App, "e2e", option, value);
        Assert.Equal(2, exit);
        Assert.StartsWith("error: ", output);
        Assert.DoesNotContain("PASS", output);
    }
}

public sealed class E2eSmokeOnSqlite(RegistryApp<Sqlite> app) : E2eSmokeTests(app), IClassFixture<RegistryApp<Sqlite>>;
public sealed class E2eSmokeOnPostgres(RegistryApp<Postgres> app) : E2eSmokeTests(app), IClassFixture<RegistryApp<Postgres>>;

/// <summary>The full run against the registry and the Waldur emulator: both journeys pass, and what it made is cleaned up.</summary>
public abstract class E2eFullRunTests(RegistryApp app, Marketplace market) : RegistryTest(app)
{
    [Fact]
    public async Task FullRunDrivesBothJourneysAndCleansUp()
    {
        var op = await Op();
        await App.ConfigureHooksAsync();
        var token = (string)(await op.PostJson("/api/v1/me/tokens", new { name = "e2e", scopes = new[] { "api:write" }, expires_in_days = 1 }).Created())["secret"]!;
        var junit = Path.Combine(Path.GetTempPath(), $"e2e-{Guid.NewGuid():N}.xml");
        var (exit, output) = await CommandLineRunner.RunAsync(App, "e2e", "--url", App.BaseAddress.ToString(), "--token", token,
            "--waldur-url", market.Waldur.BaseAddress.ToString(), "--junit", junit);

        Assert.True(exit == 0, output);
        Assert.DoesNotContain("FAIL", output);
        foreach (var category in new[] { "webhooks", "provider", "customer", "api", "auth", "widget", "billing" })
            Assert.Matches($"(?m)^PASS  {category} ", output);
        Assert.Contains("Waldur order provisions a subscription", output);
        Assert.Equal(0, (int)XDocument.Load(junit).Root!.Attribute("failures")!);
        File.Delete(junit);

        // Clean-up: the run's agent is inactive, its subscription terminated with every key revoked, no widget left.
        await using var scope = App.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<Caller>().AsSystem();
        var db = scope.ServiceProvider.GetRequiredService<RegistryDb>();
        var agent = await db.Agents.SingleAsync(a => a.Slug.StartsWith("e2e-agent-"));
        Assert.False(agent.IsActive);
        var access = await db.Accesses.SingleAsync(a => a.AgentId == agent.Id);
        Assert.Equal(AccessState.Terminated, access.State);
        Assert.All(await db.ApiKeys.Where(k => k.AccessId == access.Id).ToListAsync(), k => Assert.NotNull(k.RevokedAt));
        Assert.False(await db.Widgets.AnyAsync(w => w.AccessId == access.Id));
    }
}

public sealed class E2eFullRunOnSqlite(WaldurRegistry<Sqlite> app) : E2eFullRunTests(app, app.Market), IClassFixture<WaldurRegistry<Sqlite>>;
public sealed class E2eFullRunOnPostgres(WaldurRegistry<Postgres> app) : E2eFullRunTests(app, app.Market), IClassFixture<WaldurRegistry<Postgres>>;
