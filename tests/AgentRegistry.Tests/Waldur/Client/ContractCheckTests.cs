extern alias emulator;
using System.Net.Http.Json;
using emulator::WaldurEmulator;

namespace AgentRegistry.Tests.Waldur.Client;

/// <summary>The contract check itself must catch what breaks the contract, or the journey proves nothing.</summary>
public sealed class ContractCheckTests
{
    [Fact]
    public async Task RequestOutsideTheSchemaFailsTheCheck()
    {
        await using var emulator = await EmulatorApp.StartAsync(null, TestContext.Current.CancellationToken);
        var check = new ContractCheck();
        using var http = new HttpClient(Wrap(check.CreateHandler())) { BaseAddress = emulator.ApiUrl };
        http.DefaultRequestHeaders.Authorization = new("Token", EmulatorOptions.DefaultToken);

        // Prices must be decimal strings, and the subset has no "color" field.
        await Assert.ThrowsAnyAsync<Exception>(() => http.PostAsJsonAsync("marketplace-plans/0d3f8b1e54e84a67a0a3c47c6f0a9b11/update_prices/",
            new { prices = new { tokens = 0.002 } }));
        await Assert.ThrowsAnyAsync<Exception>(() => http.PostAsJsonAsync("hooks-web/", new { destination_url = "http://127.0.0.1:9/", color = "red" }));
        await Assert.ThrowsAnyAsync<Exception>(() => http.GetAsync("marketplace-orders/?colour=red"));
        await Assert.ThrowsAnyAsync<Exception>(() => http.GetAsync("marketplace-widgets/"));

        Assert.Equal(4, check.Violations.Count);
    }

    private static DelegatingHandler Wrap(DelegatingHandler handler)
    {
        handler.InnerHandler = new HttpClientHandler();
        return handler;
    }
}
