extern alias emulator;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AgentRegistry.Tests.Infrastructure;
using AgentRegistry.Waldur.Client;
using emulator::WaldurEmulator;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentRegistry.Tests.Waldur.Client;

/// <summary>
/// The emulator on a real loopback port and a <see cref="WaldurClient"/> built the way the registry builds it
/// (AddWaldurClient over in-memory configuration), with the contract checked on every attempt it makes.
/// </summary>
public sealed class WaldurTestbed : IAsyncDisposable
{
    public const string Token = EmulatorOptions.DefaultToken;

    private readonly ServiceProvider services;

    private WaldurTestbed(EmulatorHost emulator, ServiceProvider services, ContractCheck contract, LogCapture logs)
    {
        Emulator = emulator;
        this.services = services;
        Contract = contract;
        Logs = logs;
        Control = emulator.CreateControlClient();
        Client = services.GetRequiredService<WaldurClient>();
    }

    public EmulatorHost Emulator { get; }
    public HttpClient Control { get; }
    public WaldurClient Client { get; }
    public ContractCheck Contract { get; }
    public LogCapture Logs { get; }

    /// <summary>Fast retries and a 5 s attempt timeout unless <paramref name="settings"/> says otherwise.</summary>
    public static async Task<WaldurTestbed> StartAsync(IDictionary<string, string?>? settings = null)
    {
        var emulator = await EmulatorApp.StartAsync(null, TestContext.Current.CancellationToken);
        var values = new Dictionary<string, string?>
        {
            ["Waldur:ApiUrl"] = emulator.ApiUrl.AbsoluteUri,
            ["Waldur:Token"] = Token,
            ["Waldur:TimeoutSeconds"] = "5",
            ["Waldur:RetryDelayMilliseconds"] = "10",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) values[key] = value;
        var contract = new ContractCheck();
        var logs = new LogCapture();
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        services.AddWaldurClient(new ConfigurationBuilder().AddInMemoryCollection(values).Build())
            .AddHttpMessageHandler(contract.CreateHandler);
        return new WaldurTestbed(emulator, services.BuildServiceProvider(validateScopes: true), contract, logs);
    }

    /// <summary>Runs the emulator's clock on from <paramref name="utc"/> (one of <see cref="Infrastructure.TestDates"/>); returns it.</summary>
    public async Task<DateTime> AtAsync(DateTime utc)
    {
        await Control.SetEmulatorClockAsync(utc);
        return utc;
    }

    /// <summary>POSTs to the control API, expects 201, returns the object.</summary>
    public async Task<JsonObject> ControlPost(string path, object body)
    {
        using var response = await Control.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, $"{path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>The next <paramref name="count"/> requests under <paramref name="pathPrefix"/> fail or hang.</summary>
    public Task AddFault(string pathPrefix, int count = 1, int? status = null, int delayMs = 0, string? method = null) =>
        ControlPost("/emulator/faults", new { path_prefix = pathPrefix, count, status, delay_ms = delayMs, method });

    /// <summary>How many uses the emulator's faults have left (0 when all were consumed).</summary>
    public async Task<int> FaultUsesLeft()
    {
        var faults = JsonNode.Parse(await Control.GetStringAsync("/emulator/faults"))!.AsArray();
        return faults.Sum(f => f!["remaining"]!.GetValue<int>());
    }

    public static Guid Uuid(JsonObject o) => WaldurUuid.Parse(o["uuid"]!.GetValue<string>());

    public async ValueTask DisposeAsync()
    {
        Control.Dispose();
        await services.DisposeAsync();
        await Emulator.DisposeAsync();
    }
}
