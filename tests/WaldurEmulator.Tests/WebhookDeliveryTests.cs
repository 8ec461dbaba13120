using System.Net;
using System.Text.Json.Nodes;
using WaldurEmulator.Tests.Support;
using static WaldurEmulator.Tests.Support.Marketplace;

namespace WaldurEmulator.Tests;

public sealed class WebhookDeliveryTests
{
    [Fact]
    public async Task WebhooksArriveInTheOrderTheEventsHappened()
    {
        await using var s = await EmulatorSession.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        var m = await SetUpAsync(s);
        Expect(HttpStatusCode.Created, await Webhooks.Subscribe(s, receiver));

        await ProvisionedAsync(s, m);
        await s.Deliveries();

        Assert.Equal(
            ["marketplace_order_created", "marketplace_order_approved", "marketplace_order_completed", "marketplace_resource_create_succeeded"],
            receiver.Received.Select(r => JsonNode.Parse(r.Body)!["event_type"]!.GetValue<string>()));
    }

    [Fact]
    public async Task DuplicateModeDeliversEveryWebhookTwice()
    {
        await using var s = await EmulatorSession.StartAsync(o => o.DuplicateWebhooks = true);
        await using var receiver = await WebhookReceiver.StartAsync();
        Expect(HttpStatusCode.Created, await Webhooks.Subscribe(s, receiver));

        await s.ControlPost("/emulator/customers", new { name = "Org" });
        await s.Deliveries();

        Assert.Equal(2, receiver.Received.Count);
        Assert.Equal(receiver.Received[0].Body, receiver.Received[1].Body);
    }

    [Fact]
    public async Task SwitchedOffDeliverySendsNothingButKeepsEvents()
    {
        await using var s = await EmulatorSession.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        Expect(HttpStatusCode.Created, await Webhooks.Subscribe(s, receiver));
        using var off = await s.Control.PostAsync("/emulator/webhooks",
            new StringContent("{\"enabled\":false}", System.Text.Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, off.StatusCode);

        await s.ControlPost("/emulator/customers", new { name = "Org" });
        await s.Deliveries();

        Assert.Empty(receiver.Received);
        Assert.Single((await s.Api.Get("/api/events/?event_type=customer_creation_succeeded")).Array);
    }

    [Fact]
    public async Task HooksOnlyReceiveMatchingActiveSubscriptions()
    {
        await using var s = await EmulatorSession.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        Expect(HttpStatusCode.Created, await Webhooks.Subscribe(s, receiver, new JsonObject { ["event_types"] = new JsonArray("project_creation_succeeded") }));
        Expect(HttpStatusCode.Created, await Webhooks.Subscribe(s, receiver, new JsonObject { ["event_groups"] = new JsonArray("customers"), ["is_active"] = false }));

        var customer = await s.ControlPost("/emulator/customers", new { name = "Org" });
        await s.ControlPost("/emulator/projects", new { customer_uuid = Uuid(customer), name = "P" });
        await s.Deliveries();

        Assert.Equal("project_creation_succeeded", JsonNode.Parse(Assert.Single(receiver.Received).Body)!["event_type"]!.GetValue<string>());
    }

    [Fact]
    public async Task ReceiverFailureIsIgnoredAndNotRetried()
    {
        await using var s = await EmulatorSession.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync(status: 500);
        Expect(HttpStatusCode.Created, await Webhooks.Subscribe(s, receiver));

        await s.ControlPost("/emulator/customers", new { name = "Org" });
        var deliveries = await s.Deliveries();

        Assert.Single(receiver.Received);
        Assert.Equal(500, Assert.Single(deliveries)!["status_code"]!.GetValue<int>());
    }

    [Fact]
    public async Task HookWithoutEventTypesOrGroupsIsRejected()
    {
        await using var s = await EmulatorSession.StartAsync();
        var response = await s.Api.Post("/api/hooks-web/", new JsonObject { ["destination_url"] = "http://127.0.0.1:9/hook" });
        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
    }
}
