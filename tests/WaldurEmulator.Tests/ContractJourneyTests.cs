using System.Net;
using System.Text.Json.Nodes;
using WaldurEmulator.Tests.Support;
using static WaldurEmulator.Tests.Support.Marketplace;

namespace WaldurEmulator.Tests;

/// <summary>
/// A provider's whole journey through the API. Every request body is validated against the subset's request
/// schema and every response body against the response schema for its path, method and status.
/// </summary>
public sealed class ContractJourneyTests
{
    [Fact]
    public async Task ProviderJourneyFollowsTheContract()
    {
        // The 1st, ten minutes into a month: the usage below is filed under that month.
        await using var s = await EmulatorSession.StartAtAsync(new DateTime(2026, 3, 1, 0, 10, 0, DateTimeKind.Utc));
        await using var receiver = await WebhookReceiver.StartAsync();
        var api = s.Api;

        // The organisations, as customers create them in Waldur.
        var provider = await s.ControlPost("/emulator/customers", new { name = "Agent Provider", abbreviation = "AP" });
        var consumer = await s.ControlPost("/emulator/customers", new { name = "Consumer Org" });
        var project = await s.ControlPost("/emulator/projects", new { customer_uuid = Uuid(consumer), name = "Research" });
        Assert.Equal(2, (await api.Get("/api/customers/")).Array.Count);
        Assert.Equal("Agent Provider", (await api.Get($"/api/customers/{Uuid(provider)}/")).Object["name"]!.GetValue<string>());
        Assert.Single((await api.Get("/api/projects/")).Array);
        Assert.Equal(Url(consumer), (await api.Get($"/api/projects/{Uuid(project)}/")).Object["customer"]!.GetValue<string>());
        Assert.True((await api.Get("/api/users/me/")).Object["is_staff"]!.GetValue<bool>());

        // Hooks CRUD.
        var hook = Expect(HttpStatusCode.Created, await api.Post("/api/hooks-web/", new JsonObject
        {
            ["destination_url"] = receiver.Url(), ["event_types"] = new JsonArray("marketplace_order_created"),
            ["is_active"] = true, ["content_type"] = "json",
        })).Object;
        Assert.Single((await api.Get("/api/hooks-web/")).Array);
        Assert.Equal(receiver.Url(), (await api.Get($"/api/hooks-web/{Uuid(hook)}/")).Object["destination_url"]!.GetValue<string>());
        await api.Patch($"/api/hooks-web/{Uuid(hook)}/", new JsonObject { ["event_groups"] = new JsonArray("resources") });
        var replaced = await api.Put($"/api/hooks-web/{Uuid(hook)}/", new JsonObject
        {
            ["destination_url"] = receiver.Url("put"), ["event_types"] = new JsonArray("marketplace_order_created", "marketplace_order_completed"),
        });
        Assert.Equal(receiver.Url("put"), replaced.Object["destination_url"]!.GetValue<string>());

        // Publishing: service provider, offering with usage and limit components and two plans.
        Expect(HttpStatusCode.Created, await api.Post("/api/marketplace-service-providers/", new JsonObject { ["customer"] = Url(provider) }));
        Assert.Single((await api.Get($"/api/marketplace-service-providers/?customer_uuid={Uuid(provider)}")).Array);
        var category = (await api.Get("/api/marketplace-categories/")).Array.Single()!.AsObject();
        Assert.Equal("AI Agents", category["title"]!.GetValue<string>());
        var offering = Expect(HttpStatusCode.Created, await api.Post("/api/marketplace-provider-offerings/",
            OfferingRequest(Url(provider), Url(category), "Marketplace.Slurm"))).Object;
        var offeringPath = $"/api/marketplace-provider-offerings/{Uuid(offering)}/";
        Assert.Equal("Draft", offering["state"]!.GetValue<string>());
        Assert.All(offering["components"]!.AsArray(), c => Assert.Matches("^[0-9a-f]{32}$", c!["uuid"]!.GetValue<string>()));
        Assert.Equal(2, offering["plans"]!.AsArray().Count);
        Expect(HttpStatusCode.OK, await api.Post(offeringPath + "update_overview/", new JsonObject { ["name"] = "Research Agent", ["description"] = "Answers questions." }));
        Expect(HttpStatusCode.Created, await api.Post(offeringPath + "create_offering_component/", new JsonObject
        {
            ["type"] = "storage", ["name"] = "Storage", ["billing_type"] = "usage", ["measured_unit"] = "GB",
        }));
        var storage = (await api.Get(offeringPath)).Object["components"]!.AsArray().Single(c => c!["type"]!.GetValue<string>() == "storage")!;
        Expect(HttpStatusCode.OK, await api.Post(offeringPath + "update_offering_component/", new JsonObject
        {
            ["uuid"] = Uuid(storage.AsObject()), ["type"] = "storage", ["name"] = "Storage (GB)", ["billing_type"] = "usage",
        }));
        Expect(HttpStatusCode.OK, await api.Post(offeringPath + "remove_offering_component/", new JsonObject { ["uuid"] = Uuid(storage.AsObject()) }));
        var activated = Expect(HttpStatusCode.OK, await api.Post(offeringPath + "activate/")).Object;
        Assert.Equal("Active", activated["state"]!.GetValue<string>());
        Assert.Single((await api.Get($"/api/marketplace-provider-offerings/?customer_uuid={Uuid(provider)}&state=Active")).Array);
        Assert.Single((await api.Get("/api/marketplace-public-offerings/")).Array);
        await api.Get($"/api/marketplace-public-offerings/{Uuid(offering)}/");

        // Plans and prices.
        var plans = (await api.Get($"/api/marketplace-plans/?offering_uuid={Uuid(offering)}")).Array;
        var small = Uuid(plans.Single(p => p!["name"]!.GetValue<string>() == "Small")!.AsObject());
        Expect(HttpStatusCode.OK, await api.Post($"/api/marketplace-plans/{small}/update_prices/", new JsonObject
        {
            ["prices"] = new JsonObject { ["tokens"] = "0.0020000000", ["seats"] = "5.00", ["base"] = "10" },
        }));
        Expect(HttpStatusCode.OK, await api.Post($"/api/marketplace-plans/{small}/update_quotas/", new JsonObject { ["quotas"] = new JsonObject { ["base"] = 1 } }));
        var plan = (await api.Get($"/api/marketplace-plans/{small}/")).Object;
        Assert.Equal(0.002, plan["prices"]!["tokens"]!.GetValue<double>());

        // A customer orders; the provider approves, provisions and completes.
        var order = await s.ControlPost("/emulator/orders", new
        {
            offering_uuid = Uuid(offering), plan_uuid = small, project_uuid = Uuid(project), type = "Create",
            attributes = new { name = "my-agent" }, limits = new { seats = 5 },
        });
        var orderPath = $"/api/marketplace-orders/{Uuid(order)}/";
        var pending = (await api.Get($"/api/marketplace-orders/?offering_uuid={Uuid(offering)}&state=pending-provider&state=executing")).Array;
        var listed = pending.Single()!.AsObject();
        Assert.Equal("pending-provider", listed["state"]!.GetValue<string>());
        Assert.Null(listed["resource_uuid"]);
        var resource = listed["marketplace_resource_uuid"]!.GetValue<string>();
        var resourcePath = $"/api/marketplace-provider-resources/{resource}/";
        Assert.Equal("Creating", (await api.Get(resourcePath)).Object["state"]!.GetValue<string>());

        await api.Post(orderPath + "approve_by_provider/", new JsonObject());
        Assert.Equal("executing", (await api.Get(orderPath)).Object["state"]!.GetValue<string>());
        Expect(HttpStatusCode.OK, await api.Post(orderPath + "set_backend_id/", new JsonObject { ["backend_id"] = "agent-access-1" }));
        Expect(HttpStatusCode.OK, await api.Post(resourcePath + "set_backend_id/", new JsonObject { ["backend_id"] = "agent-access-1" }));
        Expect(HttpStatusCode.OK, await api.Post(resourcePath + "set_backend_metadata/", new JsonObject
        {
            ["backend_metadata"] = new JsonObject { ["endpoint"] = "https://agents.example.org/a/1", ["state"] = "ready" },
        }));
        Expect(HttpStatusCode.OK, await api.Post(orderPath + "set_state_done/"));
        var ok = (await api.Get(resourcePath)).Object;
        Assert.Equal("OK", ok["state"]!.GetValue<string>());
        Assert.Equal("agent-access-1", ok["backend_id"]!.GetValue<string>());
        Assert.Single((await api.Get($"/api/marketplace-provider-resources/?offering_uuid={Uuid(offering)}&state=OK")).Array);
        Assert.Single((await api.Get($"/api/marketplace-provider-resources/{resource}/plan_periods/")).Array);

        // Usage: the second report in a month replaces the first.
        var period = "2026-03-01";
        foreach (var amount in new[] { "100.00", "250.00" })
            Expect(HttpStatusCode.Created, await api.Post("/api/marketplace-component-usages/set_usage/", new JsonObject
            {
                ["resource"] = resource,
                ["usages"] = new JsonArray(new JsonObject { ["type"] = "tokens", ["amount"] = amount, ["description"] = "month to date" }),
            }));
        var usages = (await api.Get($"/api/marketplace-component-usages/?resource_uuid={resource}&billing_period={period}")).Array;
        Assert.Equal(250m, usages.Single()!["usage"]!.GetValue<decimal>());
        await api.Get($"/api/marketplace-component-usages/{Uuid(usages.Single()!.AsObject())}/");

        // The customer terminates; the provider approves and completes.
        var terminate = await s.ControlPost("/emulator/orders", new
        {
            offering_uuid = Uuid(offering), project_uuid = Uuid(project), type = "Terminate", resource_uuid = resource,
        });
        Assert.Equal("Terminating", (await api.Get(resourcePath)).Object["state"]!.GetValue<string>());
        await api.Post($"/api/marketplace-orders/{Uuid(terminate)}/approve_by_provider/", new JsonObject());
        Expect(HttpStatusCode.OK, await api.Post($"/api/marketplace-orders/{Uuid(terminate)}/set_state_done/"));
        Assert.Equal("Terminated", (await api.Get(resourcePath)).Object["state"]!.GetValue<string>());
        Assert.Equal(2, (await api.Get($"/api/marketplace-provider-offerings/{Uuid(offering)}/orders/")).Array.Count);

        // Events, then the hook is deleted.
        var events = (await api.Get("/api/events/?event_type=marketplace_order_completed")).Array;
        Assert.Equal(2, events.Count);
        Expect(HttpStatusCode.NoContent, await api.Delete($"/api/hooks-web/{Uuid(hook)}/"));
        Assert.Empty((await api.Get("/api/hooks-web/")).Array);

        Assert.Contains("POST /api/marketplace-provider-offerings/ 201", api.Validated);
        Assert.Contains("POST /api/marketplace-component-usages/set_usage/ 201", api.Validated);
    }
}
