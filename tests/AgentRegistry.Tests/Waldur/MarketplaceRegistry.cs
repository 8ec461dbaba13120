extern alias emulator;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AgentRegistry.Tests.Infrastructure;
using emulator::WaldurEmulator;

namespace AgentRegistry.Tests.Waldur;

/// <summary>How the emulated Waldur delivers webhooks to the registry in a scenario.</summary>
public enum Delivery { Webhooks, Twice, PollOnly }

/// <summary>The Waldur emulator a registry is wired to: a real HTTP server on a loopback port.</summary>
public sealed class Marketplace : IAsyncDisposable
{
    public EmulatorHost Waldur { get; private set; } = null!;
    public string ProviderCustomer { get; private set; } = "";

    public async Task StartAsync(Delivery delivery)
    {
        Waldur = await EmulatorApp.StartAsync(o =>
        {
            o.DuplicateWebhooks = delivery == Delivery.Twice;
            o.WebhooksEnabled = delivery != Delivery.PollOnly;
        });
        var provider = await Waldur.CreateControlClient().PostAsJsonAsync("/emulator/customers", new { name = "Agents Provider" });
        ProviderCustomer = (string)JsonNode.Parse(await provider.Content.ReadAsStringAsync())!["uuid"]!;
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
    }

    public async ValueTask DisposeAsync()
    {
        if (Waldur is not null) await Waldur.DisposeAsync();
    }
}

/// <summary>The registry wired to a Waldur emulator: both real HTTP servers on loopback ports.</summary>
public class WaldurRegistry<TDatabase> : RegistryApp<TDatabase> where TDatabase : TestDatabase, new()
{
    public Marketplace Market { get; } = new();
    protected virtual Delivery Delivery => Delivery.Webhooks;

    protected override async Task<string?> StartSurroundingsAsync()
    {
        await Market.StartAsync(Delivery);
        return null;
    }

    protected override void Configure(IDictionary<string, string?> settings) => Market.Configure(settings, Delivery);
    protected override ValueTask StopSurroundingsAsync() => Market.DisposeAsync();
}

/// <summary>Each webhook is delivered twice.</summary>
public sealed class WaldurTwiceRegistry<TDatabase> : WaldurRegistry<TDatabase> where TDatabase : TestDatabase, new()
{
    protected override Delivery Delivery => Delivery.Twice;
}

/// <summary>No webhooks: the registry learns of orders by polling.</summary>
public sealed class WaldurPollOnlyRegistry<TDatabase> : WaldurRegistry<TDatabase> where TDatabase : TestDatabase, new()
{
    protected override Delivery Delivery => Delivery.PollOnly;
}
