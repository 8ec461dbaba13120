using System.Net;
using System.Text.Json.Nodes;
using WaldurEmulator.Tests.Support;
using static WaldurEmulator.Tests.Support.Marketplace;

namespace WaldurEmulator.Tests;

public sealed class WebhookPayloadTests
{
    private static readonly string[] OrderContextKeys =
    [
        "order_uuid", "order_created", "order_modified", "order_cost", "order_limits", "order_attributes",
        "order_get_state_display", "order_get_type_display", "offering_uuid", "offering_name", "resource_uuid",
        "resource_name", "resource_get_state_display", "resource_backend_metadata", "project_uuid", "project_name",
        "customer_uuid", "customer_name", "plan_uuid", "plan_name", "created_by_uuid", "created_by_username",
        "user_uuid", "user_username", "ip_address",
    ];

    [Fact]
    public async Task OrderWebhookCarriesCreatedMessageContextAndEventType()
    {
        await using var s = await EmulatorSession.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        var m = await SetUpAsync(s);
        Expect(HttpStatusCode.Created, await Webhooks.Subscribe(s, receiver, new JsonObject { ["event_types"] = new JsonArray("marketplace_order_created") }));

        var (order, resource) = await OrderAsync(s, m);
        await s.Deliveries();

        var hook = Assert.Single(receiver.Received);
        Assert.StartsWith("application/json", hook.ContentType);
        Assert.False(hook.Headers.ContainsKey("Authorization"));
        var payload = JsonNode.Parse(hook.Body)!.AsObject();
        Assert.Equal(["context", "created", "event_type", "message"], payload.Select(p => p.Key).Order());
        Assert.Equal("marketplace_order_created", payload["event_type"]!.GetValue<string>());
        Assert.Equal("Marketplace order has been created.", payload["message"]!.GetValue<string>());
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$", payload["created"]!.GetValue<string>());
        var context = payload["context"]!.AsObject();
        Assert.All(OrderContextKeys, key => Assert.True(context.ContainsKey(key), $"context lacks {key}"));
        Assert.Equal(order, context["order_uuid"]!.GetValue<string>());
        Assert.Equal(resource, context["resource_uuid"]!.GetValue<string>());
        Assert.Equal(m.ProjectUuid, context["project_uuid"]!.GetValue<string>());
        Assert.Equal("pending-provider", context["order_get_state_display"]!.GetValue<string>());
        Assert.Equal("Create", context["order_get_type_display"]!.GetValue<string>());
        Assert.Equal("consumer", context["created_by_username"]!.GetValue<string>());
    }

    [Fact]
    public async Task CustomerAndProjectEventsCarryTheirContext()
    {
        await using var s = await EmulatorSession.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        Expect(HttpStatusCode.Created, await Webhooks.Subscribe(s, receiver));

        var customer = await s.ControlPost("/emulator/customers", new { name = "Org", abbreviation = "O", contact_details = "Main St 1" });
        var project = await s.ControlPost("/emulator/projects", new { customer_uuid = Uuid(customer), name = "P", end_date = "2030-01-31" });
        await s.Deliveries();

        var payloads = receiver.Received.Select(r => JsonNode.Parse(r.Body)!.AsObject()).ToList();
        Assert.Equal(["customer_creation_succeeded", "project_creation_succeeded"], payloads.Select(p => p["event_type"]!.GetValue<string>()));
        var customerContext = payloads[0]["context"]!.AsObject();
        Assert.Equal(Uuid(customer), customerContext["customer_uuid"]!.GetValue<string>());
        Assert.Equal("Main St 1", customerContext["customer_contact_details"]!.GetValue<string>());
        Assert.Equal("O", customerContext["customer_abbreviation"]!.GetValue<string>());
        var projectContext = payloads[1]["context"]!.AsObject();
        Assert.Equal(Uuid(project), projectContext["project_uuid"]!.GetValue<string>());
        Assert.Equal("2030-01-31", projectContext["project_end_date"]!.GetValue<string>());
        Assert.Equal("Org", projectContext["customer_name"]!.GetValue<string>());
    }

    [Fact]
    public async Task HookOfANonStaffUserMissesCustomerAndProjectEvents()
    {
        await using var s = await EmulatorSession.StartAsync(o =>
            o.Tokens.AddRange([new EmulatorToken { Token = "emulator-token" }, new EmulatorToken { Token = "sp", Username = "sp", IsStaff = false }]));
        await using var receiver = await WebhookReceiver.StartAsync();
        var m = await SetUpAsync(s);
        Expect(HttpStatusCode.Created, await Webhooks.Subscribe(s, receiver, api: s.ApiAs("sp")));

        var customer = await s.ControlPost("/emulator/customers", new { name = "Another Org" });
        await s.ControlPost("/emulator/projects", new { customer_uuid = Uuid(customer), name = "P" });
        await OrderAsync(s, m);
        await s.Deliveries();

        Assert.Equal("marketplace_order_created", JsonNode.Parse(Assert.Single(receiver.Received).Body)!["event_type"]!.GetValue<string>());
        Assert.Empty((await s.ApiAs("sp").Get("/api/events/?event_type=customer_creation_succeeded")).Array);
    }

    [Fact]
    public async Task FormContentTypePostsAFormWithTheContextAsJson()
    {
        await using var s = await EmulatorSession.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        Expect(HttpStatusCode.Created, await Webhooks.Subscribe(s, receiver, new JsonObject { ["event_groups"] = new JsonArray("customers"), ["content_type"] = "form" }));

        await s.ControlPost("/emulator/customers", new { name = "Org" });
        await s.Deliveries();

        var hook = Assert.Single(receiver.Received);
        Assert.StartsWith("application/x-www-form-urlencoded", hook.ContentType);
        Assert.Contains("event_type=customer_creation_succeeded", hook.Body);
    }
}
