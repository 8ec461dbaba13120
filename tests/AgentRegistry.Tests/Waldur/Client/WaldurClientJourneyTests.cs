using System.Text.RegularExpressions;
using AgentRegistry.Waldur.Client;
using static AgentRegistry.Tests.Waldur.Client.WaldurTestbed;

namespace AgentRegistry.Tests.Waldur.Client;

/// <summary>
/// A provider's whole journey through every client method against the emulator. The contract check validates
/// each request the client sends (operation, query parameters, body) and each response it gets.
/// </summary>
public sealed partial class WaldurClientJourneyTests
{
    private static readonly string[] Operations =
    [
        "GET /api/users/me/", "GET /api/customers/{uuid}/", "GET /api/projects/{uuid}/", "GET /api/marketplace-categories/",
        "POST /api/marketplace-service-providers/", "GET /api/marketplace-service-providers/",
        "POST /api/marketplace-provider-offerings/", "GET /api/marketplace-provider-offerings/", "GET /api/marketplace-provider-offerings/{uuid}/",
        "POST /api/marketplace-provider-offerings/{uuid}/update_overview/", "POST /api/marketplace-provider-offerings/{uuid}/update_description/",
        "POST /api/marketplace-provider-offerings/{uuid}/create_offering_component/",
        "POST /api/marketplace-provider-offerings/{uuid}/update_offering_component/",
        "POST /api/marketplace-provider-offerings/{uuid}/remove_offering_component/", "POST /api/marketplace-provider-offerings/{uuid}/activate/",
        "POST /api/marketplace-plans/", "GET /api/marketplace-plans/", "GET /api/marketplace-plans/{uuid}/",
        "POST /api/marketplace-plans/{uuid}/update_prices/", "POST /api/marketplace-plans/{uuid}/update_quotas/",
        "GET /api/marketplace-orders/", "GET /api/marketplace-orders/{uuid}/", "POST /api/marketplace-orders/{uuid}/approve_by_provider/",
        "POST /api/marketplace-orders/{uuid}/reject_by_provider/", "POST /api/marketplace-orders/{uuid}/set_state_executing/",
        "POST /api/marketplace-orders/{uuid}/set_state_done/", "POST /api/marketplace-orders/{uuid}/set_state_erred/",
        "POST /api/marketplace-orders/{uuid}/set_backend_id/", "GET /api/marketplace-provider-resources/{uuid}/",
        "POST /api/marketplace-provider-resources/{uuid}/set_backend_id/", "POST /api/marketplace-provider-resources/{uuid}/set_backend_metadata/",
        "POST /api/marketplace-provider-resources/{uuid}/set_limits/", "POST /api/marketplace-provider-resources/{uuid}/set_as_ok/",
        "POST /api/marketplace-provider-resources/{uuid}/set_as_erred/", "POST /api/marketplace-component-usages/set_usage/",
        "GET /api/marketplace-component-usages/", "GET /api/hooks-web/", "POST /api/hooks-web/", "PUT /api/hooks-web/{uuid}/",
        "DELETE /api/hooks-web/{uuid}/", "GET /api/events/",
    ];

    [Fact]
    public async Task ProviderJourneyThroughEveryMethodFollowsTheContract()
    {
        await using var t = await StartAsync();
        var waldur = t.Client;
        var today = await t.AtAsync(AgentRegistry.Tests.Infrastructure.TestDates.MonthEnd);
        var started = new DateTimeOffset(today).AddSeconds(-1);

        // Directory: the organisations and the token's user.
        var provider = Uuid(await t.ControlPost("/emulator/customers", new { name = "Agent Provider", abbreviation = "AP" }));
        var consumer = Uuid(await t.ControlPost("/emulator/customers", new { name = "Consumer Org" }));
        var project = Uuid(await t.ControlPost("/emulator/projects", new { customer_uuid = WaldurUuid.ToHex(consumer), name = "Research" }));
        var me = await waldur.GetCurrentUserAsync();
        Assert.True(me.IsStaff);
        Assert.Equal("emulator", me.Username);
        Assert.Equal("Agent Provider", (await waldur.GetCustomerAsync(provider)).Name);
        Assert.Equal(consumer, (await waldur.GetProjectAsync(project)).CustomerUuid);

        // Publishing: service provider, offering with usage, limit and fixed components and two plans.
        var category = Assert.Single(await waldur.ListCategoriesAsync());
        Assert.Equal("AI Agents", category.Title);
        Assert.Equal(provider, (await waldur.CreateServiceProviderAsync(provider)).CustomerUuid);
        Assert.Equal(provider, Assert.Single(await waldur.ListServiceProvidersAsync(provider)).CustomerUuid);
        var offering = await waldur.CreateOfferingAsync(new OfferingRequest("Research Agent", "Answers research questions.", provider,
            category.Uuid, OfferingRequest.SiteAgentType,
            [
                new OfferingComponentRequest("tokens", "Tokens", WaldurBillingType.Usage, "k tokens"),
                new OfferingComponentRequest("seats", "Seats", WaldurBillingType.Limit, "seats", LimitPeriod: "month", LimitAmount: 100),
                new OfferingComponentRequest("base", "Base fee", WaldurBillingType.Fixed, "month"),
            ],
            [new PlanRequest("Small", UnitPrice: 10m), new PlanRequest("Large", "For teams", "month", 100.5m)]));
        Assert.Equal(WaldurOfferingState.Draft, offering.State);
        Assert.Equal(["tokens", "seats", "base"], offering.Components.Select(c => c.Type));
        Assert.Equal(100.5m, offering.Plans.Single(p => p.Name == "Large").UnitPrice);
        await waldur.UpdateOfferingOverviewAsync(offering.Uuid, new OfferingOverview("Research Agent", "Answers questions.", GettingStarted: "Ask."));
        await waldur.UpdateOfferingCategoryAsync(offering.Uuid, category.Uuid);
        await waldur.CreateOfferingComponentAsync(offering.Uuid, new OfferingComponentRequest("storage", "Storage", WaldurBillingType.Usage, "GB"));
        var storage = (await waldur.GetOfferingAsync(offering.Uuid)).Components.Single(c => c.Type == "storage");
        await waldur.UpdateOfferingComponentAsync(offering.Uuid, storage.Uuid, new OfferingComponentRequest("storage", "Storage (GB)", WaldurBillingType.Usage, "GB"));
        Assert.Equal("Storage (GB)", (await waldur.GetOfferingAsync(offering.Uuid)).Components.Single(c => c.Type == "storage").Name);
        await waldur.RemoveOfferingComponentAsync(offering.Uuid, storage.Uuid);
        await waldur.ActivateOfferingAsync(offering.Uuid);
        var active = await waldur.GetOfferingAsync(offering.Uuid);
        Assert.Equal(WaldurOfferingState.Active, active.State);
        Assert.Equal("Answers questions.", active.Description);
        Assert.DoesNotContain(active.Components, c => c.Type == "storage");
        Assert.Equal(offering.Uuid, Assert.Single(await waldur.ListOfferingsAsync(provider, "Research")).Uuid);
        Assert.Empty(await waldur.ListOfferingsAsync(consumer));

        // Plans and prices.
        var extra = await waldur.CreatePlanAsync(offering.Uuid, new PlanRequest("Extra", UnitPrice: 5.25m));
        Assert.Equal(3, (await waldur.ListPlansAsync(offering.Uuid)).Count);
        Assert.Equal(5.25m, (await waldur.GetPlanAsync(extra.Uuid)).UnitPrice);
        var small = offering.Plans.Single(p => p.Name == "Small").Uuid;
        await waldur.UpdatePlanPricesAsync(small, new Dictionary<string, decimal> { ["tokens"] = 0.002m, ["seats"] = 5m, ["base"] = 10m });
        await waldur.UpdatePlanQuotasAsync(small, new Dictionary<string, long> { ["base"] = 1 });
        var priced = await waldur.GetPlanAsync(small);
        Assert.Equal(0.002m, priced.Prices!["tokens"]);
        Assert.Equal(1m, priced.Quotas!["base"]);

        // Hooks: create and replace (the delivery target is a closed loopback port; Waldur ignores failures).
        var hook = await waldur.CreateWebHookAsync(new WebHookRequest(new Uri("http://127.0.0.1:9/waldur/hook?secret=s"),
            ["marketplace_order_created", "marketplace_order_completed"], []));
        Assert.Equal(hook.Uuid, Assert.Single(await waldur.ListWebHooksAsync()).Uuid);
        var replaced = await waldur.UpdateWebHookAsync(hook.Uuid, new WebHookRequest(new Uri("http://127.0.0.1:9/waldur/hook2"),
            ["marketplace_order_created"], ["resources"], IsActive: true));
        Assert.Equal(["resources"], replaced.EventGroups);
        Assert.EndsWith("/hook2", replaced.DestinationUrl);

        // A customer orders; the provider approves, provisions and completes.
        var order = Uuid(await t.ControlPost("/emulator/orders", new
        {
            offering_uuid = WaldurUuid.ToHex(offering.Uuid), plan_uuid = WaldurUuid.ToHex(small), project_uuid = WaldurUuid.ToHex(project),
            type = "Create", attributes = new { name = "my-agent" }, limits = new { seats = 5 },
        }));
        var pending = Assert.Single(await waldur.ListOrdersAsync(offering.Uuid, [WaldurOrderState.PendingProvider, WaldurOrderState.Executing]));
        Assert.Equal(order, pending.Uuid);
        Assert.Equal(WaldurOrderState.PendingProvider, pending.State);
        Assert.Equal(WaldurOrderType.Create, pending.Type);
        Assert.Null(pending.ResourceUuid);
        Assert.Equal(5m, pending.Limits!["seats"]);
        Assert.Equal("my-agent", pending.Attributes!["name"].GetString());
        var resource = pending.MarketplaceResourceUuid!.Value;
        await waldur.ApproveOrderByProviderAsync(order);
        Assert.Equal(WaldurOrderState.Executing, (await waldur.GetOrderAsync(order)).State);
        await waldur.SetOrderBackendIdAsync(order, "agent-access-1");
        await waldur.SetResourceBackendIdAsync(resource, "agent-access-1");
        await waldur.SetResourceBackendMetadataAsync(resource, new Dictionary<string, object?>
        {
            ["endpoint"] = "https://agents.example.org/a/1", ["ready"] = true, ["seats"] = 5, ["note"] = null,
        });
        await waldur.SetOrderStateDoneAsync(order);
        var done = await waldur.GetResourceAsync(resource);
        Assert.Equal(WaldurResourceState.Ok, done.State);
        Assert.Equal("agent-access-1", done.BackendId);
        Assert.Equal("https://agents.example.org/a/1", done.BackendMetadata!["endpoint"].GetString());
        Assert.Equal("agent-access-1", (await waldur.GetOrderAsync(order)).BackendId);
        await waldur.SetResourceLimitsAsync(resource, new Dictionary<string, long> { ["seats"] = 7 });
        Assert.Equal(7m, (await waldur.GetResourceAsync(resource)).Limits!["seats"]);
        await waldur.SetResourceAsErredAsync(resource, "Backend unreachable", "trace");
        Assert.Equal(WaldurResourceState.Erred, (await waldur.GetResourceAsync(resource)).State);
        await waldur.SetResourceAsOkAsync(resource);
        Assert.Equal(WaldurResourceState.Ok, (await waldur.GetResourceAsync(resource)).State);

        // Usage: the second report replaces the first.
        await waldur.SetUsageAsync(resource, [new ComponentUsageReport("tokens", 100m, "month to date"), new ComponentUsageReport("seats", 5m)]);
        await waldur.SetUsageAsync(resource, [new ComponentUsageReport("tokens", 250m, "month to date")]);
        var usages = await waldur.ListComponentUsagesAsync(resource, DateOnly.FromDateTime(today));
        Assert.Equal(250m, usages.Single(u => u.Type == "tokens").Usage);
        Assert.Equal(5m, usages.Single(u => u.Type == "seats").Usage);
        Assert.All(usages, u => Assert.Equal(1, u.BillingPeriod.Day));
        Assert.Contains(t.Contract.Bodies, b => b.Contains("\"amount\":\"250.00\"", StringComparison.Ordinal));

        // Other order outcomes: rejected, erred and back to executing.
        var rejected = await PlaceOrder(t, offering.Uuid, small, project);
        await waldur.RejectOrderByProviderAsync(rejected, "Not available in your region.");
        Assert.Equal(WaldurOrderState.Rejected, (await waldur.GetOrderAsync(rejected)).State);
        var failed = await PlaceOrder(t, offering.Uuid, small, project);
        await waldur.SetOrderStateErredAsync(failed, "Provisioning failed", "Traceback: ...");
        var erred = await waldur.GetOrderAsync(failed);
        Assert.Equal(WaldurOrderState.Erred, erred.State);
        Assert.Equal("Provisioning failed", erred.ErrorMessage);
        await waldur.SetOrderStateExecutingAsync(failed);
        Assert.Equal(WaldurOrderState.Executing, (await waldur.GetOrderAsync(failed)).State);

        // Events, then the hook goes.
        var created = await waldur.ListEventsAsync(["marketplace_order_created"], started);
        Assert.Equal(3, created.Count);
        Assert.All(created, e => Assert.Equal("marketplace_order_created", e.EventType));
        Assert.Contains(created, e => e.Context!["order_uuid"].GetString() == WaldurUuid.ToHex(order));
        await waldur.DeleteWebHookAsync(hook.Uuid);
        Assert.Empty(await waldur.ListWebHooksAsync());

        Assert.Empty(t.Contract.Violations);
        var validated = t.Contract.Validated.Select(v => v[..v.LastIndexOf(' ')]).ToHashSet();
        Assert.Empty(Operations.Except(validated));
        Assert.DoesNotContain(t.Contract.Attempts, r => DashedUuid().IsMatch(r.RequestUri!.AbsoluteUri));
        Assert.DoesNotContain(t.Contract.Bodies, b => DashedUuid().IsMatch(b));
        Assert.DoesNotContain(t.Logs.Lines, l => l.Contains(Token, StringComparison.Ordinal));
    }

    private static async Task<Guid> PlaceOrder(WaldurTestbed t, Guid offering, Guid plan, Guid project) =>
        Uuid(await t.ControlPost("/emulator/orders", new
        {
            offering_uuid = WaldurUuid.ToHex(offering), plan_uuid = WaldurUuid.ToHex(plan), project_uuid = WaldurUuid.ToHex(project), type = "Create",
        }));

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", RegexOptions.IgnoreCase)]
    private static partial Regex DashedUuid();
}
