using System.Net;
using System.Net.Http.Json;
using WaldurEmulator.Tests.Support;

namespace WaldurEmulator.Tests;

public sealed class FaultTests
{
    private static async Task AddFault(EmulatorSession s, object rule)
    {
        using var response = await s.Control.PostAsJsonAsync("/emulator/faults", rule, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task InjectedFaultAnswers500ForTheNextRequestsOnly()
    {
        await using var s = await EmulatorSession.StartAsync();
        await AddFault(s, new { path_prefix = "/api/marketplace-orders/", count = 2 });

        Assert.Equal(HttpStatusCode.InternalServerError, (await s.Api.Get("/api/marketplace-orders/")).Status);
        Assert.Equal(HttpStatusCode.OK, (await s.Api.Get("/api/customers/")).Status);
        Assert.Equal(HttpStatusCode.InternalServerError, (await s.Api.Get("/api/marketplace-orders/")).Status);
        Assert.Equal(HttpStatusCode.OK, (await s.Api.Get("/api/marketplace-orders/")).Status);
    }

    [Fact]
    public async Task FaultCanBeLimitedToOneMethodAndStatus()
    {
        await using var s = await EmulatorSession.StartAsync();
        await AddFault(s, new { path_prefix = "/api/", method = "POST", status = 503 });

        Assert.Equal(HttpStatusCode.OK, (await s.Api.Get("/api/customers/")).Status);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await s.Api.Post("/api/hooks-web/")).Status);
    }

    [Fact]
    public async Task DelayFaultMakesTheClientTimeOut()
    {
        await using var s = await EmulatorSession.StartAsync();
        await AddFault(s, new { path_prefix = "/api/customers/", delay_ms = 2000 });
        using var impatient = s.Host.CreateApiClient();
        impatient.Timeout = TimeSpan.FromMilliseconds(300);

        await Assert.ThrowsAsync<TaskCanceledException>(() => impatient.GetAsync("/api/customers/", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task DeletingFaultsRestoresService()
    {
        await using var s = await EmulatorSession.StartAsync();
        await AddFault(s, new { path_prefix = "/api/", count = 100 });

        using var deleted = await s.Control.DeleteAsync("/emulator/faults", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await s.Api.Get("/api/customers/")).Status);
    }
}
