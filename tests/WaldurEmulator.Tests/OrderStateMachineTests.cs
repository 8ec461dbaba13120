using System.Net;
using System.Text.Json.Nodes;
using WaldurEmulator.Tests.Support;
using static WaldurEmulator.Tests.Support.Marketplace;

namespace WaldurEmulator.Tests;

public sealed class OrderStateMachineTests
{
    private static async Task<string> State(EmulatorSession s, string kind, string uuid) =>
        (await s.Api.Get($"/api/{kind}/{uuid}/")).Object["state"]!.GetValue<string>();

    [Fact]
    public async Task SetStateDoneFromPendingProviderIsRejectedLikeWaldursStateValidator()
    {
        await using var s = await EmulatorSession.StartAsync();
        var m = await SetUpAsync(s);
        var (order, _) = await OrderAsync(s, m);

        var response = await s.Api.Post($"/api/marketplace-orders/{order}/set_state_done/");

        Assert.Equal(HttpStatusCode.Conflict, response.Status);
        Assert.Equal("Valid states for operation: executing.", response.Object["detail"]!.GetValue<string>());
        Assert.Equal("pending-provider", await State(s, "marketplace-orders", order));
    }

    [Fact]
    public async Task ApprovedSiteAgentOrderWaitsInExecutingUntilDone()
    {
        await using var s = await EmulatorSession.StartAsync();
        var m = await SetUpAsync(s, "Marketplace.Slurm");
        var (order, resource) = await OrderAsync(s, m);

        Expect(HttpStatusCode.OK, await s.Api.Post($"/api/marketplace-orders/{order}/approve_by_provider/", new JsonObject()));
        Assert.Equal("executing", await State(s, "marketplace-orders", order));
        Assert.Equal("Creating", await State(s, "marketplace-provider-resources", resource));

        Expect(HttpStatusCode.OK, await s.Api.Post($"/api/marketplace-orders/{order}/set_state_done/"));
        Assert.Equal("done", await State(s, "marketplace-orders", order));
        Assert.Equal("OK", await State(s, "marketplace-provider-resources", resource));
    }

    [Fact]
    public async Task ApprovedBasicOrderCompletesAtOnce()
    {
        await using var s = await EmulatorSession.StartAsync();
        var m = await SetUpAsync(s, "Marketplace.Basic");
        var (order, resource) = await OrderAsync(s, m);

        Expect(HttpStatusCode.OK, await s.Api.Post($"/api/marketplace-orders/{order}/approve_by_provider/", new JsonObject()));

        Assert.Equal("done", await State(s, "marketplace-orders", order));
        Assert.Equal("OK", await State(s, "marketplace-provider-resources", resource));
    }

    [Fact]
    public async Task ApprovingTwiceIsRejected()
    {
        await using var s = await EmulatorSession.StartAsync();
        var m = await SetUpAsync(s);
        var (order, _) = await OrderAsync(s, m);
        Expect(HttpStatusCode.OK, await s.Api.Post($"/api/marketplace-orders/{order}/approve_by_provider/", new JsonObject()));

        Assert.Equal(HttpStatusCode.Conflict, (await s.Api.Post($"/api/marketplace-orders/{order}/approve_by_provider/", new JsonObject())).Status);
    }

    [Fact]
    public async Task RejectingACreateOrderTerminatesItsResource()
    {
        await using var s = await EmulatorSession.StartAsync();
        var m = await SetUpAsync(s);
        var (order, resource) = await OrderAsync(s, m);

        Expect(HttpStatusCode.OK, await s.Api.Post($"/api/marketplace-orders/{order}/reject_by_provider/",
            new JsonObject { ["provider_rejection_comment"] = "No capacity" }));

        var rejected = (await s.Api.Get($"/api/marketplace-orders/{order}/")).Object;
        Assert.Equal("rejected", rejected["state"]!.GetValue<string>());
        Assert.Equal("No capacity", rejected["provider_rejection_comment"]!.GetValue<string>());
        Assert.Equal("Terminated", await State(s, "marketplace-provider-resources", resource));
    }

    [Fact]
    public async Task ErredCreateOrderWithoutBackendIdTerminatesTheResource()
    {
        await using var s = await EmulatorSession.StartAsync();
        var m = await SetUpAsync(s);
        var (order, resource) = await OrderAsync(s, m);
        Expect(HttpStatusCode.OK, await s.Api.Post($"/api/marketplace-orders/{order}/approve_by_provider/", new JsonObject()));

        Expect(HttpStatusCode.OK, await s.Api.Post($"/api/marketplace-orders/{order}/set_state_erred/",
            new JsonObject { ["error_message"] = "boom", ["error_traceback"] = "trace" }));

        var erred = (await s.Api.Get($"/api/marketplace-orders/{order}/")).Object;
        Assert.Equal("erred", erred["state"]!.GetValue<string>());
        Assert.Equal("boom", erred["error_message"]!.GetValue<string>());
        Assert.Equal("Terminated", await State(s, "marketplace-provider-resources", resource));
    }

    [Fact]
    public async Task ErredOrderCanBeSetExecutingAgain()
    {
        await using var s = await EmulatorSession.StartAsync();
        var m = await SetUpAsync(s);
        var (order, resource) = await OrderAsync(s, m);
        await s.Api.Post($"/api/marketplace-provider-resources/{resource}/set_backend_id/", new JsonObject { ["backend_id"] = "b-1" });
        Expect(HttpStatusCode.OK, await s.Api.Post($"/api/marketplace-orders/{order}/set_state_erred/", new JsonObject()));
        Assert.Equal("Erred", await State(s, "marketplace-provider-resources", resource));

        Expect(HttpStatusCode.OK, await s.Api.Post($"/api/marketplace-orders/{order}/set_state_executing/"));

        Assert.Equal("executing", await State(s, "marketplace-orders", order));
        Assert.Equal("Creating", await State(s, "marketplace-provider-resources", resource));
    }

    [Fact]
    public async Task CompletedUpdateOrderSwitchesThePlan()
    {
        await using var s = await EmulatorSession.StartAsync();
        var m = await SetUpAsync(s);
        var (_, resource) = await ProvisionedAsync(s, m);
        var update = await s.ControlPost("/emulator/orders", new
        {
            offering_uuid = m.OfferingUuid, plan_uuid = m.LargePlanUuid, project_uuid = m.ProjectUuid, type = "Update", resource_uuid = resource,
        });
        Assert.Equal("Updating", await State(s, "marketplace-provider-resources", resource));

        await s.Api.Post($"/api/marketplace-orders/{Uuid(update)}/approve_by_provider/", new JsonObject());
        Expect(HttpStatusCode.OK, await s.Api.Post($"/api/marketplace-orders/{Uuid(update)}/set_state_done/"));

        var updated = (await s.Api.Get($"/api/marketplace-provider-resources/{resource}/")).Object;
        Assert.Equal(m.LargePlanUuid, updated["plan_uuid"]!.GetValue<string>());
        Assert.Equal("OK", updated["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task ProviderTerminateCreatesAnExecutingTerminateOrder()
    {
        await using var s = await EmulatorSession.StartAsync();
        var m = await SetUpAsync(s);
        var (_, resource) = await ProvisionedAsync(s, m);

        var response = Expect(HttpStatusCode.OK, await s.Api.Post($"/api/marketplace-provider-resources/{resource}/terminate/", new JsonObject()));

        var order = (await s.Api.Get($"/api/marketplace-orders/{response.Object["order_uuid"]!.GetValue<string>()}/")).Object;
        Assert.Equal("Terminate", order["type"]!.GetValue<string>());
        Assert.Equal("executing", order["state"]!.GetValue<string>());
        Assert.Equal("Terminating", await State(s, "marketplace-provider-resources", resource));
    }

    [Fact]
    public async Task OrderListFiltersByRepeatedState()
    {
        await using var s = await EmulatorSession.StartAsync();
        var m = await SetUpAsync(s);
        var (first, _) = await OrderAsync(s, m);
        var (second, _) = await OrderAsync(s, m);
        await OrderAsync(s, m);
        await s.Api.Post($"/api/marketplace-orders/{first}/approve_by_provider/", new JsonObject());
        await s.Api.Post($"/api/marketplace-orders/{second}/reject_by_provider/", new JsonObject());

        var open = (await s.Api.Get($"/api/marketplace-orders/?offering_uuid={m.OfferingUuid}&state=pending-provider&state=executing")).Array;

        Assert.Equal(2, open.Count);
        Assert.DoesNotContain(open, o => o!["uuid"]!.GetValue<string>() == second);
    }
}
