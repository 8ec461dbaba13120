using System.Collections.Concurrent;
using System.Net;
using System.Text;
using AgentRegistry.Waldur.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentRegistry.Tests.Waldur.Client;

/// <summary>
/// A scripted Waldur behind the real client pipeline (options, retries, timeouts), for answers the emulator
/// does not give: Retry-After, an echoed token, pages without a Link header, network errors, bad JSON.
/// </summary>
public sealed class StubWaldur : IAsyncDisposable
{
    public const string Token = "stub-secret-token-0123456789abcdef";
    public static readonly Uri ApiUrl = new("https://waldur.example.org/api/");

    private readonly ServiceProvider services;

    public StubWaldur(Func<HttpRequestMessage, int, HttpResponseMessage> answer, IDictionary<string, string?>? settings = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Waldur:ApiUrl"] = ApiUrl.AbsoluteUri, ["Waldur:Token"] = Token, ["Waldur:RetryDelayMilliseconds"] = "1",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) values[key] = value;
        var collection = new ServiceCollection();
        collection.AddLogging(l => l.SetMinimumLevel(LogLevel.Trace).AddProvider(Logs));
        collection.AddWaldurClient(new ConfigurationBuilder().AddInMemoryCollection(values).Build())
            .ConfigurePrimaryHttpMessageHandler(() => new Answering(this, answer));
        services = collection.BuildServiceProvider();
        Client = services.GetRequiredService<WaldurClient>();
    }

    public WaldurClient Client { get; }
    public ConcurrentQueue<HttpRequestMessage> Requests { get; } = new();
    public LogCapture Logs { get; } = new();

    public static HttpResponseMessage Json(HttpStatusCode status, string json) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    public ValueTask DisposeAsync() => services.DisposeAsync();

    private sealed class Answering(StubWaldur stub, Func<HttpRequestMessage, int, HttpResponseMessage> answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            stub.Requests.Enqueue(request);
            return Task.FromResult(answer(request, stub.Requests.Count));
        }
    }
}
