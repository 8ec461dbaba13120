extern alias emulator;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AgentRegistry.Cli;
using AgentRegistry.Tests.Infrastructure;

namespace AgentRegistry.Tests.Waldur;

/// <summary><c>agentregistry waldur ...</c> run against the same database and the emulated Waldur.</summary>
public abstract class WaldurCommandTests(RegistryApp app, Marketplace market) : RegistryTest(app)
{
    private Task<(int Exit, string Output)> Run(params string[] args) => CommandLineRunner.RunAsync(App, args);

    [Fact]
    public async Task ConfigureWebhooksIsIdempotentAndTestsTheEndpoints()
    {
        var waldur = market.Waldur.CreateApiClient();
        async Task<int> HooksToThisRegistry() => (await waldur.GetFromJsonAsync<JsonArray>("/api/hooks-web/?page_size=100"))!
            .Count(h => ((string?)h!["destination_url"])!.StartsWith(App.BaseAddress.ToString().TrimEnd('/'), StringComparison.Ordinal));

        // A dry run says what it would create and creates nothing.
        var dry = await Run("waldur", "configure-webhooks", "--dry-run", "--configure", "--url", App.BaseAddress.ToString());
        Assert.True(dry.Exit == 0, dry.Output);
        Assert.Equal(3, dry.Output.Split('\n').Count(l => l.Contains(" create ")));
        Assert.Contains("Run with --configure to apply.", dry.Output);
        Assert.Equal(0, await HooksToThisRegistry());

        var applied = await Run("waldur", "configure-webhooks", "--configure", "--test-endpoints", "--url", App.BaseAddress.ToString());
        Assert.True(applied.Exit == 0, applied.Output);
        Assert.Contains("-> 202", applied.Output);
        var again = await Run("waldur", "configure-webhooks", "--url", App.BaseAddress.ToString());
        Assert.Equal(3, again.Output.Split('\n').Count(l => l.Contains(" keep ")));

        Assert.Equal(3, await HooksToThisRegistry());
    }

    [Fact]
    public async Task PublishAgentBySlugAndSyncOrders()
    {
        var op = await Op();
        var seeded = await op.SubscribedTenantAsync();
        var published = await Run("waldur", "publish-agent", seeded.AgentSlug);
        Assert.True(published.Exit == 0, published.Output);
        var agent = await op.GetAsync($"/api/v1/agents/{seeded.AgentId}").Json200();
        Assert.Contains(((string)agent["waldur_offering_uuid"]!).Replace("-", ""), published.Output);

        var synced = await Run("waldur", "sync-orders");
        Assert.Equal(0, synced.Exit);
        Assert.Contains("order(s)", synced.Output);

        var unknown = await Run("waldur", "publish-agent", "no-such-agent");
        Assert.Equal(1, unknown.Exit);
        Assert.Contains("no agent has the slug", unknown.Output);
        Assert.Equal(2, (await Run("waldur", "frobnicate")).Exit);
    }

    [Fact]
    public async Task ConfigureWebhooksWarnsWhenTheTokenCannotSeeCustomerEvents()
    {
        var token = $"plain-{Guid.NewGuid():N}";
        var added = await market.Waldur.CreateControlClient().PostAsJsonAsync("/emulator/tokens", new { token, username = "provider-bot", is_staff = false, is_support = false });
        Assert.True(added.IsSuccessStatusCode);
        var (exit, output) = await Run("waldur", "configure-webhooks", "--url", App.BaseAddress.ToString(), $"--Waldur:Token={token}");
        Assert.Equal(0, exit);
        Assert.Contains("warning: The Waldur token belongs to 'provider-bot'", output);
        var (_, staffOutput) = await Run("waldur", "configure-webhooks", "--url", App.BaseAddress.ToString());
        Assert.DoesNotContain("warning:", staffOutput);
    }

    [Fact]
    public async Task WaldurCommandsWithoutWaldurSayHowToTurnItOn()
    {
        var (exit, output) = await Run("waldur", "sync-orders", "--Waldur:ApiUrl=", "--Waldur:Token=");
        Assert.Equal(1, exit);
        Assert.Contains("Waldur:ApiUrl", output);
    }
}

public sealed class WaldurCommandsOnSqlite(WaldurRegistry<Sqlite> app) : WaldurCommandTests(app, app.Market), IClassFixture<WaldurRegistry<Sqlite>>;
public sealed class WaldurCommandsOnPostgres(WaldurRegistry<Postgres> app) : WaldurCommandTests(app, app.Market), IClassFixture<WaldurRegistry<Postgres>>;
