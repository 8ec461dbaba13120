extern alias emulator;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AgentRegistry.Tests.Infrastructure;
using emulator::WaldurEmulator;

namespace AgentRegistry.Tests.Waldur;

/// <summary>How the emulated Waldur delivers webhooks to the registry in a scenario.</summary>
public enum Delivery { Webhooks, Twice, PollOnly }

/// <summary>The registry wired to a Waldur emulator: both real HTTP servers on loopback ports.</summary>
public sealed class Marketplace(Func<Task<string?>> prepare, Action<IDictionary<string, string?>> configure)
{
    public EmulatorHost Waldur { get; private set; } = null!;
    public string ProviderCustomer { get; private set; } = "";

    public async Task<string?> StartAsync(Delivery delivery)
    {
        Waldur = await EmulatorApp.StartAsync(o =>
        {
            o.DuplicateWebhooks = delivery == Delivery.Twice;
            o.WebhooksEnabled = delivery != Delivery.PollOnly;
        });
        var provider = await Waldur.CreateControlClient().PostAsJsonAsync("/emulator/customers", new { name = "Agents Provider" });
        ProviderCustomer = (string)JsonNode.Parse(await provider.Content.ReadAsStringAsync())!["uuid"]!;
        return await prepare();
    }

    /// <summary>Runs the emulator's clock on from <paramref name="utc"/> (/emulator/clock); null: back to the system's time.</summary>
    public Task SetClockAsync(DateTime? utc) => Waldur.CreateControlClient().SetEmulatorClockAsync(utc);

    public void Configure(IDictionary<string, string?> settings, Delivery delivery)
    {
        settings["Waldur:ApiUrl"] = Waldur.ApiUrl.ToString();
        settings["Waldur:Token"] = EmulatorOptions.DefaultToken;
        settings["Waldur:RetryDelayMilliseconds"] = "50";
        settings["Waldur:Marketplace:ProviderCustomerUuid"] = ProviderCustomer;
        settings["Waldur:Marketplace:PublicUrl"] = "https://agents.example.com";
        // Poll-only runs rely on the poll; the others poll rarely so that webhooks must do the work.
        settings["Waldur:Marketplace:PollSeconds"] = delivery == Delivery.PollOnly ? "5" : "3600";
        settings["Waldur:Inbox:PollSeconds"] = "1";
        configure(settings);
    }
}

public class WaldurSqliteRegistry : SqliteRegistry
{
    private readonly Marketplace _market;
    protected virtual Delivery Delivery => Delivery.Webhooks;
    public WaldurSqliteRegistry() => _market = new Marketplace(() => base.PrepareDatabaseAsync(), _ => { });
    public Marketplace Market => _market;
    protected override Task<string?> PrepareDatabaseAsync() => _market.StartAsync(Delivery);
    protected override void Configure(IDictionary<string, string?> settings) => _market.Configure(settings, Delivery);
    protected override async Task CleanupDatabaseAsync() { await base.CleanupDatabaseAsync(); await _market.Waldur.DisposeAsync(); }
}

public class WaldurPostgresRegistry : PostgresRegistry
{
    private readonly Marketplace _market;
    protected virtual Delivery Delivery => Delivery.Webhooks;
    public WaldurPostgresRegistry() => _market = new Marketplace(() => base.PrepareDatabaseAsync(), _ => { });
    public Marketplace Market => _market;
    protected override Task<string?> PrepareDatabaseAsync() => _market.StartAsync(Delivery);
    protected override void Configure(IDictionary<string, string?> settings) => _market.Configure(settings, Delivery);
    protected override async Task CleanupDatabaseAsync() { await base.CleanupDatabaseAsync(); if (_market.Waldur is not null) await _market.Waldur.DisposeAsync(); }
}

public sealed class WaldurTwiceSqliteRegistry : WaldurSqliteRegistry { protected override Delivery Delivery => Delivery.Twice; }
public sealed class WaldurPollOnlySqliteRegistry : WaldurSqliteRegistry { protected override Delivery Delivery => Delivery.PollOnly; }
public sealed class WaldurTwicePostgresRegistry : WaldurPostgresRegistry { protected override Delivery Delivery => Delivery.Twice; }
public sealed class WaldurPollOnlyPostgresRegistry : WaldurPostgresRegistry { protected override Delivery Delivery => Delivery.PollOnly; }
