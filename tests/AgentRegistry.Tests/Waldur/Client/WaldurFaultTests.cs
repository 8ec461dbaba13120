using System.Diagnostics;
using System.Net;
using AgentRegistry.Waldur.Client;
using static AgentRegistry.Tests.Waldur.Client.WaldurTestbed;

namespace AgentRegistry.Tests.Waldur.Client;

/// <summary>Transient failures are retried (for requests safe to repeat), permanent ones are not.</summary>
public sealed class WaldurFaultTests
{
    [Fact]
    public async Task ServerErrorsAreRetriedUntilTheReadSucceeds()
    {
        await using var t = await StartAsync();
        var customer = Uuid(await t.ControlPost("/emulator/customers", new { name = "Provider" }));
        await t.AddFault("/api/customers/", count: 2);

        Assert.Equal("Provider", (await t.Client.GetCustomerAsync(customer)).Name);

        Assert.Equal(3, t.Contract.AttemptsAt(HttpMethod.Get, "/api/customers/"));
        Assert.Equal(0, await t.FaultUsesLeft());
    }

    [Fact]
    public async Task StateActionIsRetriedAfterServiceUnavailable()
    {
        await using var t = await StartAsync();
        var hook = await t.Client.CreateWebHookAsync(new WebHookRequest(new Uri("http://127.0.0.1:9/h"), [], ["resources"]));
        await t.AddFault("/api/hooks-web/", status: 503, method: "DELETE");

        await t.Client.DeleteWebHookAsync(hook.Uuid);

        Assert.Equal(2, t.Contract.AttemptsAt(HttpMethod.Delete, "/api/hooks-web/"));
        Assert.Empty(await t.Client.ListWebHooksAsync());
    }

    [Fact]
    public async Task UsageReportIsRetriedBecauseItReplacesTheValue()
    {
        await using var t = await StartAsync();
        await t.AddFault("/api/marketplace-component-usages/set_usage/", status: 502);

        // The resource does not exist: the retry gets through to a permanent 400 that is not retried again.
        var error = await Assert.ThrowsAsync<WaldurApiException>(() => t.Client.SetUsageAsync(Guid.NewGuid(), [new ComponentUsageReport("tokens", 1m)]));

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Equal(2, t.Contract.AttemptsAt(HttpMethod.Post, "set_usage"));
    }

    [Fact]
    public async Task CreatingRequestIsNotRetriedAndItsFailureIsTransient()
    {
        await using var t = await StartAsync();
        await t.AddFault("/api/hooks-web/", method: "POST");

        var error = await Assert.ThrowsAsync<WaldurApiException>(() =>
            t.Client.CreateWebHookAsync(new WebHookRequest(new Uri("http://127.0.0.1:9/h"), [], ["resources"])));

        Assert.True(error.IsTransient);
        Assert.Equal(HttpStatusCode.InternalServerError, error.StatusCode);
        Assert.Equal("Fault injected by the Waldur emulator.", error.Detail);
        Assert.Equal(1, t.Contract.AttemptsAt(HttpMethod.Post, "/api/hooks-web/"));
        Assert.Empty(await t.Client.ListWebHooksAsync());
    }

    [Fact]
    public async Task HangLongerThanTheAttemptTimeoutIsRetried()
    {
        await using var t = await StartAsync(new Dictionary<string, string?> { ["Waldur:TimeoutSeconds"] = "0.5" });
        await t.AddFault("/api/users/me/", delayMs: 3000);
        var clock = Stopwatch.StartNew();

        Assert.True((await t.Client.GetCurrentUserAsync()).IsStaff);

        // Two attempts: the first was cut by the attempt timeout (waited out, it would have answered after 3 s, once).
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.5), $"answered after {clock.Elapsed}");
        Assert.Equal(2, t.Contract.AttemptsAt(HttpMethod.Get, "/api/users/me/"));
    }

    [Fact]
    public async Task HangOnEveryAttemptEndsInATransientTimeout()
    {
        await using var t = await StartAsync(new Dictionary<string, string?> { ["Waldur:TimeoutSeconds"] = "0.3", ["Waldur:Retries"] = "2" });
        await t.AddFault("/api/users/me/", count: 10, delayMs: 5000);
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<WaldurApiException>(() => t.Client.GetCurrentUserAsync());

        Assert.True(error.IsTransient);
        Assert.Null(error.StatusCode);
        Assert.Contains("timed out", error.Message);
        // Three attempts, each cut by the timeout: a hang waited out would answer, once.
        Assert.Equal(3, t.Contract.AttemptsAt(HttpMethod.Get, "/api/users/me/"));
    }

    [Fact]
    public async Task TotalTimeoutBoundsACallWithItsRetries()
    {
        await using var t = await StartAsync(new Dictionary<string, string?>
        {
            ["Waldur:TimeoutSeconds"] = "0.4", ["Waldur:Retries"] = "10", ["Waldur:TotalTimeoutSeconds"] = "1",
        });
        await t.AddFault("/api/users/me/", count: 20, delayMs: 5000);
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<WaldurApiException>(() => t.Client.GetCurrentUserAsync());

        Assert.True(error.IsTransient);
        // The total timeout ended the call after a few of its eleven allowed attempts (counted, not timed).
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.9), $"gave up after {clock.Elapsed}");
        Assert.InRange(t.Contract.AttemptsAt(HttpMethod.Get, "/api/users/me/"), 2, 4);
    }

    [Fact]
    public async Task BadRequestIsPermanentAndSentOnce()
    {
        await using var t = await StartAsync();
        await t.AddFault("/api/users/me/", count: 2, status: 400);

        var error = await Assert.ThrowsAsync<WaldurApiException>(() => t.Client.GetCurrentUserAsync());

        Assert.False(error.IsTransient);
        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Equal(1, await t.FaultUsesLeft()); // the emulator saw exactly one of the two faulted requests
        Assert.Equal(1, t.Contract.AttemptsAt(HttpMethod.Get, "/api/users/me/"));
    }

    [Fact]
    public async Task ValidationErrorsCarryWaldurFieldMessages()
    {
        await using var t = await StartAsync();
        var provider = Uuid(await t.ControlPost("/emulator/customers", new { name = "Provider" }));

        var error = await Assert.ThrowsAsync<WaldurApiException>(() => t.Client.CreateOfferingAsync(new OfferingRequest(
            "Agent", null, provider, Guid.NewGuid(), OfferingRequest.SiteAgentType, [], [])));

        Assert.False(error.IsTransient);
        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Contains("category", error.FieldErrors.Keys);
        Assert.Contains("category", error.Message);
    }

    [Fact]
    public async Task ActionInTheWrongStateIsAStateConflictAndNotRetried()
    {
        await using var t = await StartAsync();
        var order = await TestMarketplace.PlaceOrder(t, await TestMarketplace.PublishedOffering(t));

        var error = await Assert.ThrowsAsync<WaldurApiException>(() => t.Client.SetOrderStateDoneAsync(order));

        Assert.True(error.IsStateConflict);
        Assert.False(error.IsTransient);
        Assert.Equal("Valid states for operation: executing.", error.Detail);
        Assert.Equal(1, t.Contract.AttemptsAt(HttpMethod.Post, "set_state_done"));
        // The caller re-fetches and continues from the real state.
        Assert.Equal(WaldurOrderState.PendingProvider, (await t.Client.GetOrderAsync(order)).State);
    }

    [Fact]
    public async Task MissingObjectIsNotFound()
    {
        await using var t = await StartAsync();

        var error = await Assert.ThrowsAsync<WaldurApiException>(() => t.Client.GetOrderAsync(Guid.NewGuid()));

        Assert.True(error.IsNotFound);
        Assert.Equal("Not found.", error.Detail);
    }
}
