using System.Net;
using System.Text.Json.Nodes;

namespace WaldurEmulator.Tests.Support;

/// <summary>The uuids a test needs after setting up a provider, an offering and a consumer project.</summary>
public sealed record MarketplaceSetup(
    string ProviderCustomerUuid, string ConsumerCustomerUuid, string ProjectUuid, string OfferingUuid,
    string SmallPlanUuid, string LargePlanUuid);

/// <summary>Builds a provider with an active offering (components: tokens=usage, seats=limit, base=fixed) and a consumer project.</summary>
public static class Marketplace
{
    public static async Task<MarketplaceSetup> SetUpAsync(EmulatorSession s, string offeringType = "Marketplace.Slurm")
    {
        var provider = await s.ControlPost("/emulator/customers", new { name = "Agent Provider", abbreviation = "AP" });
        var consumer = await s.ControlPost("/emulator/customers", new { name = "Consumer Org" });
        var project = await s.ControlPost("/emulator/projects", new { customer_uuid = Uuid(consumer), name = "Research" });
        Expect(HttpStatusCode.Created, await s.Api.Post("/api/marketplace-service-providers/", new JsonObject { ["customer"] = Url(provider) }));

        var category = (await s.Api.Get("/api/marketplace-categories/")).Array[0]!["url"]!.GetValue<string>();
        var offering = Expect(HttpStatusCode.Created, await s.Api.Post("/api/marketplace-provider-offerings/", OfferingRequest(Url(provider), category, offeringType))).Object;
        Expect(HttpStatusCode.OK, await s.Api.Post($"/api/marketplace-provider-offerings/{Uuid(offering)}/activate/"));
        var plans = offering["plans"]!.AsArray();
        return new MarketplaceSetup(Uuid(provider), Uuid(consumer), Uuid(project), Uuid(offering),
            Uuid(plans[0]!.AsObject()), Uuid(plans[1]!.AsObject()));
    }

    public static JsonObject OfferingRequest(string customerUrl, string categoryUrl, string type) => new()
    {
        ["name"] = "Research Agent",
        ["description"] = "An AI agent that answers research questions.",
        ["customer"] = customerUrl,
        ["category"] = categoryUrl,
        ["type"] = type,
        ["components"] = new JsonArray(
            new JsonObject { ["type"] = "tokens", ["name"] = "Tokens", ["measured_unit"] = "k tokens", ["billing_type"] = "usage" },
            new JsonObject { ["type"] = "seats", ["name"] = "Seats", ["measured_unit"] = "seats", ["billing_type"] = "limit", ["limit_period"] = "month" },
            new JsonObject { ["type"] = "base", ["name"] = "Base fee", ["measured_unit"] = "month", ["billing_type"] = "fixed" }),
        ["plans"] = new JsonArray(
            new JsonObject { ["name"] = "Small", ["unit"] = "month", ["unit_price"] = "10.00" },
            new JsonObject { ["name"] = "Large", ["unit"] = "month", ["unit_price"] = "100.00" }),
    };

    /// <summary>Places a Create order as the customer and returns (order uuid, marketplace resource uuid).</summary>
    public static async Task<(string Order, string Resource)> OrderAsync(EmulatorSession s, MarketplaceSetup m, string? planUuid = null)
    {
        var order = await s.ControlPost("/emulator/orders", new
        {
            offering_uuid = m.OfferingUuid, plan_uuid = planUuid ?? m.SmallPlanUuid, project_uuid = m.ProjectUuid,
            type = "Create", attributes = new { name = "my-agent" }, limits = new { seats = 5 },
        });
        return (Uuid(order), order["marketplace_resource_uuid"]!.GetValue<string>());
    }

    /// <summary>Approves, sets a backend id and completes the Create order: the resource ends OK.</summary>
    public static async Task<(string Order, string Resource)> ProvisionedAsync(EmulatorSession s, MarketplaceSetup m)
    {
        var (order, resource) = await OrderAsync(s, m);
        Expect(HttpStatusCode.OK, await s.Api.Post($"/api/marketplace-orders/{order}/approve_by_provider/", new JsonObject()));
        Expect(HttpStatusCode.OK, await s.Api.Post($"/api/marketplace-provider-resources/{resource}/set_backend_id/", new JsonObject { ["backend_id"] = "agent-1" }));
        Expect(HttpStatusCode.OK, await s.Api.Post($"/api/marketplace-orders/{order}/set_state_done/"));
        return (order, resource);
    }

    public static ApiResponse Expect(HttpStatusCode status, ApiResponse response)
    {
        Assert.True(response.Status == status, $"expected {(int)status}, got {(int)response.Status}: {response.Body?.ToJsonString()}");
        return response;
    }

    public static string Uuid(JsonObject o) => o["uuid"]!.GetValue<string>();
    public static string Url(JsonObject o) => o["url"]!.GetValue<string>();
}
