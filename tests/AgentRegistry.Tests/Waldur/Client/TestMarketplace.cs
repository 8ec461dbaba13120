using AgentRegistry.Waldur.Client;
using static AgentRegistry.Tests.Waldur.Client.WaldurTestbed;

namespace AgentRegistry.Tests.Waldur.Client;

/// <summary>An active site-agent offering (tokens: usage, seats: limit) and, on demand, a provisioned resource.</summary>
public static class TestMarketplace
{
    public static async Task<WaldurOffering> PublishedOffering(WaldurTestbed t)
    {
        var provider = Uuid(await t.ControlPost("/emulator/customers", new { name = "Provider" }));
        await t.Client.CreateServiceProviderAsync(provider);
        var category = (await t.Client.ListCategoriesAsync())[0];
        var offering = await t.Client.CreateOfferingAsync(new OfferingRequest("Agent", null, provider, category.Uuid, OfferingRequest.SiteAgentType,
            [
                new OfferingComponentRequest("tokens", "Tokens", WaldurBillingType.Usage),
                new OfferingComponentRequest("seats", "Seats", WaldurBillingType.Limit, LimitPeriod: "month"),
            ],
            [new PlanRequest("Small", UnitPrice: 1m)]));
        await t.Client.ActivateOfferingAsync(offering.Uuid);
        return offering;
    }

    /// <summary>Places a Create order in the provider's own project; returns the order.</summary>
    public static async Task<Guid> PlaceOrder(WaldurTestbed t, WaldurOffering offering)
    {
        var project = Uuid(await t.ControlPost("/emulator/projects", new { customer_uuid = WaldurUuid.ToHex(offering.CustomerUuid!.Value), name = "P" }));
        return Uuid(await t.ControlPost("/emulator/orders", new
        {
            offering_uuid = WaldurUuid.ToHex(offering.Uuid), plan_uuid = WaldurUuid.ToHex(offering.Plans[0].Uuid),
            project_uuid = WaldurUuid.ToHex(project), type = "Create", limits = new { seats = 2 },
        }));
    }

    /// <summary>An approved and completed Create order's resource, in state OK.</summary>
    public static async Task<Guid> ProvisionedResource(WaldurTestbed t)
    {
        var order = await PlaceOrder(t, await PublishedOffering(t));
        await t.Client.ApproveOrderByProviderAsync(order);
        await t.Client.SetOrderStateDoneAsync(order);
        return (await t.Client.GetOrderAsync(order)).MarketplaceResourceUuid!.Value;
    }
}
