using System.Net.Http.Headers;
using WaldurEmulator.Features.Hooks;

namespace WaldurEmulator;

/// <summary>A running emulator: its base address and clients for the Waldur API and the control API.</summary>
public sealed class EmulatorHost(WebApplication app, Uri baseAddress) : IAsyncDisposable
{
    public WebApplication App { get; } = app;

    /// <summary>For example http://127.0.0.1:41234/ — the Waldur API is under api/.</summary>
    public Uri BaseAddress { get; } = baseAddress;

    public Uri ApiUrl => new(BaseAddress, "api/");

    /// <summary>A client for /api/ sending "Authorization: Token &lt;token&gt;".</summary>
    public HttpClient CreateApiClient(string token = EmulatorOptions.DefaultToken)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Token", token);
        return client;
    }

    /// <summary>A client for /emulator/ control calls (sends X-Emulator-Token when one is configured).</summary>
    public HttpClient CreateControlClient(string? controlToken = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        if (controlToken is not null) client.DefaultRequestHeaders.Add("X-Emulator-Token", controlToken);
        return client;
    }

    /// <summary>Waits until every webhook queued so far has been attempted.</summary>
    public Task<bool> WaitForWebhooksAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        App.Services.GetRequiredService<WebhookDispatcher>()
            .WaitIdleAsync(timeout ?? TimeSpan.FromSeconds(10), cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
