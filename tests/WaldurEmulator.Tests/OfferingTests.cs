using System.Net;
using System.Text.Json.Nodes;
using WaldurEmulator.Tests.Support;
using static WaldurEmulator.Tests.Support.Marketplace;

namespace WaldurEmulator.Tests;

public sealed class OfferingTests
{
    [Fact]
    public async Task OfferingStateMachineRejectsWrongTransitions()
    {
        await using var s = await EmulatorSession.StartAsync();
        var m = await SetUpAsync(s);
        var path = $"/api/marketplace-provider-offerings/{m.OfferingUuid}/";

        Assert.Equal(HttpStatusCode.Conflict, (await s.Api.Post(path + "unpause/")).Status);
        Assert.Equal("Paused", Expect(HttpStatusCode.OK, await s.Api.Post(path + "pause/", new JsonObject { ["paused_reason"] = "maintenance" })).Object["state"]!.GetValue<string>());
        Assert.Equal("maintenance", (await s.Api.Get(path)).Object["paused_reason"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Conflict, (await s.Api.Post(path + "pause/", new JsonObject())).Status);
        Assert.Equal("Active", Expect(HttpStatusCode.OK, await s.Api.Post(path + "unpause/")).Object["state"]!.GetValue<string>());
        Assert.Equal("Archived", Expect(HttpStatusCode.OK, await s.Api.Post(path + "archive/")).Object["state"]!.GetValue<string>());
        Assert.Equal("Draft", Expect(HttpStatusCode.OK, await s.Api.Post(path + "draft/")).Object["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task DraftOfferingCannotBeOrdered()
    {
        await using var s = await EmulatorSession.StartAsync();
        var m = await SetUpAsync(s);
        await s.Api.Post($"/api/marketplace-provider-offerings/{m.OfferingUuid}/draft/");

        using var response = await s.Control.PostAsync("/emulator/orders", new StringContent(
            new JsonObject { ["offering_uuid"] = m.OfferingUuid, ["plan_uuid"] = m.SmallPlanUuid, ["project_uuid"] = m.ProjectUuid }.ToJsonString(),
            System.Text.Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task OfferingNeedsAServiceProvider()
    {
        await using var s = await EmulatorSession.StartAsync();
        var customer = await s.ControlPost("/emulator/customers", new { name = "Not a provider" });
        var category = (await s.Api.Get("/api/marketplace-categories/")).Array[0]!["url"]!.GetValue<string>();

        var response = await s.Api.Post("/api/marketplace-provider-offerings/", OfferingRequest(Url(customer), category, "Marketplace.Slurm"));

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
    }

    [Fact]
    public async Task DuplicateComponentTypeIsRejected()
    {
        await using var s = await EmulatorSession.StartAsync();
        var m = await SetUpAsync(s);

        var response = await s.Api.Post($"/api/marketplace-provider-offerings/{m.OfferingUuid}/create_offering_component/",
            new JsonObject { ["type"] = "tokens", ["name"] = "Tokens again", ["billing_type"] = "usage" });

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
    }

    [Fact]
    public async Task UpdatePricesRejectsUnknownComponents()
    {
        await using var s = await EmulatorSession.StartAsync();
        var m = await SetUpAsync(s);

        var response = await s.Api.Post($"/api/marketplace-plans/{m.SmallPlanUuid}/update_prices/",
            new JsonObject { ["prices"] = new JsonObject { ["gpu"] = "1.00" } });

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
    }

    [Fact]
    public async Task PublicOfferingsListOnlyActiveOrPausedOfferings()
    {
        await using var s = await EmulatorSession.StartAsync();
        var m = await SetUpAsync(s);
        Assert.Single((await s.Api.Get("/api/marketplace-public-offerings/")).Array);

        await s.Api.Post($"/api/marketplace-provider-offerings/{m.OfferingUuid}/archive/");

        Assert.Empty((await s.Api.Get("/api/marketplace-public-offerings/")).Array);
    }
}
