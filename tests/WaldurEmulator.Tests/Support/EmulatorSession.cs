using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace WaldurEmulator.Tests.Support;

/// <summary>One emulator on a real loopback port, with a contract-checking API client and a control client.</summary>
public sealed class EmulatorSession : IAsyncDisposable
{
    private EmulatorSession(EmulatorHost host)
    {
        Host = host;
        Http = host.CreateApiClient();
        Api = new ContractClient(Http);
        Control = host.CreateControlClient();
    }

    public EmulatorHost Host { get; }
    public HttpClient Http { get; }
    public ContractClient Api { get; }
    public HttpClient Control { get; }
    public string Base => Host.BaseAddress.ToString().TrimEnd('/');

    public static async Task<EmulatorSession> StartAsync(Action<EmulatorOptions>? configure = null) =>
        new(await EmulatorApp.StartAsync(configure, TestContext.Current.CancellationToken));

    /// <summary>An emulator whose clock runs on from <paramref name="utc"/>: what depends on the date is asserted against it.</summary>
    public static async Task<EmulatorSession> StartAtAsync(DateTime utc, Action<EmulatorOptions>? configure = null)
    {
        var session = await StartAsync(configure);
        var now = utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        (await session.Control.PostAsJsonAsync("/emulator/clock", new { now }, TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();
        return session;
    }

    public ContractClient ApiAs(string token) => new(Host.CreateApiClient(token));

    /// <summary>POSTs to /emulator/…, expects 201, returns the JSON object.</summary>
    public async Task<JsonObject> ControlPost(string path, object body)
    {
        using var response = await Control.PostAsJsonAsync(path, body, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>The delivery log after every queued webhook has been attempted.</summary>
    public async Task<JsonArray> Deliveries()
    {
        var text = await Control.GetStringAsync("/emulator/deliveries", TestContext.Current.CancellationToken);
        return JsonNode.Parse(text)!.AsArray();
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        Control.Dispose();
        await Host.DisposeAsync();
    }
}
