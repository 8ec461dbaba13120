using System.Net.Http.Json;
using System.Net;
using System.Text.Json.Nodes;
using WaldurEmulator.Tests.Support;
using static WaldurEmulator.Tests.Support.Marketplace;

namespace WaldurEmulator.Tests;

/// <summary>The invoice the emulator issues follows Waldur's registrators: fixed pro rata, limit x price, usage per plan period.</summary>
public sealed class InvoiceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task At(EmulatorSession s, string now) =>
        (await s.Control.PostAsJsonAsync("/emulator/clock", new { now }, Ct)).EnsureSuccessStatusCode();

    private static async Task<JsonObject> Invoice(EmulatorSession s, string customer, string month) =>
        JsonNode.Parse(await s.Control.GetStringAsync($"/emulator/invoices/?customer_uuid={customer}&month={month}", Ct))!.AsObject();

    private static async Task PriceAsync(EmulatorSession s, string plan, object prices, object quotas)
    {
        Expect(HttpStatusCode.OK, await s.Api.Post($"/api/marketplace-plans/{plan}/update_prices/", JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(new { prices }))!.AsObject()));
        Expect(HttpStatusCode.OK, await s.Api.Post($"/api/marketplace-plans/{plan}/update_quotas/", JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(new { quotas }))!.AsObject()));
    }

    private static string Line(JsonNode? item) =>
        $"{item!["plan_name"]}/{item["offering_component_type"]}: {item["unit_price"]!.GetValue<string>().TrimEnd('0').TrimEnd('.')} x {item["quantity"]} = {item["price"]}";

    [Fact]
    public async Task AMonthWithAPlanSwitchIsInvoicedProRataByDaysWithLimitsAndUsagePerPlanPeriod()
    {
        await using var s = await EmulatorSession.StartAsync();
        var m = await SetUpAsync(s);
        await PriceAsync(s, m.SmallPlanUuid, new { @base = "30", seats = "2", tokens = "0.5" }, new { @base = 1 });
        await PriceAsync(s, m.LargePlanUuid, new { @base = "62", seats = "3", tokens = "0.25" }, new { @base = 1 });

        await At(s, "2026-10-10T08:00:00Z");
        var (_, resource) = await ProvisionedAsync(s, m); // seats limit 5
        await At(s, "2026-10-15T12:00:00Z");
        Expect(HttpStatusCode.Created, await s.Api.Post("/api/marketplace-component-usages/set_usage/", new JsonObject
        {
            ["resource"] = resource, ["usages"] = new JsonArray(new JsonObject { ["type"] = "tokens", ["amount"] = "10.00" }),
        }));

        await At(s, "2026-10-20T06:00:00Z");
        var update = await s.ControlPost("/emulator/orders", new { offering_uuid = m.OfferingUuid, plan_uuid = m.LargePlanUuid, project_uuid = m.ProjectUuid, type = "Update", resource_uuid = resource });
        Expect(HttpStatusCode.OK, await s.Api.Post($"/api/marketplace-orders/{Uuid(update)}/approve_by_provider/", new JsonObject()));
        Expect(HttpStatusCode.OK, await s.Api.Post($"/api/marketplace-orders/{Uuid(update)}/set_state_done/"));

        await At(s, "2026-10-25T00:00:00Z");
        // Dated inside the new plan period (the resource's current one): billed at the new plan's price.
        Expect(HttpStatusCode.Created, await s.Api.Post("/api/marketplace-component-usages/set_usage/", new JsonObject
        {
            ["resource"] = resource, ["usages"] = new JsonArray(new JsonObject { ["type"] = "tokens", ["amount"] = "8.00" }),
        }));
        await At(s, "2026-11-02T00:00:00Z");
        // After the invoice closed on the 1st, a change to October no longer reaches it.
        Expect(HttpStatusCode.Created, await s.Api.Post("/api/marketplace-component-usages/set_usage/", new JsonObject
        {
            ["resource"] = resource, ["date"] = "2026-10-31T23:00:00Z",
            ["usages"] = new JsonArray(new JsonObject { ["type"] = "tokens", ["amount"] = "100.00" }),
        }));

        var invoice = await Invoice(s, m.ConsumerCustomerUuid, "2026-10");
        // Waldur's get_quantity: (end - start).days + 1 over the month's days, rounded up to cents.
        // Small: 10th 08:00 .. 20th 06:00 is 9 whole days + 1 = 10/31 -> 0.33; Large: 20th 06:00 .. 31st end is 11 + 1 = 12/31 -> 0.39.
        Assert.Equal(new[]
        {
            "Small/base: 30 x 0.33 = 9.90", "Small/seats: 2 x 5 = 10.00", "Small/tokens: 0.5 x 10 = 5.00",
            "Large/base: 62 x 0.39 = 24.18", "Large/seats: 3 x 5 = 15.00", "Large/tokens: 0.25 x 8 = 2.00",
        }.Order(), invoice["items"]!.AsArray().Select(Line).Order());
        Assert.Equal("66.08", invoice["price"]!.GetValue<string>());
        Assert.Equal("created", invoice["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task UsageReportedWhenNoPlanPeriodWasInForceIsNotInvoiced()
    {
        await using var s = await EmulatorSession.StartAsync();
        var m = await SetUpAsync(s);
        await PriceAsync(s, m.SmallPlanUuid, new { tokens = "1" }, new { @base = 0 });
        await At(s, "2026-10-10T08:00:00Z");
        var (_, resource) = await ProvisionedAsync(s, m);

        // Dated the 1st, before the resource's first plan period began.
        Expect(HttpStatusCode.Created, await s.Api.Post("/api/marketplace-component-usages/set_usage/", new JsonObject
        {
            ["resource"] = resource, ["date"] = "2026-10-01T00:00:00Z",
            ["usages"] = new JsonArray(new JsonObject { ["type"] = "tokens", ["amount"] = "40.00" }),
        }));

        var invoice = await Invoice(s, m.ConsumerCustomerUuid, "2026-10");
        Assert.DoesNotContain(invoice["items"]!.AsArray(), i => (string?)i!["offering_component_type"] == "tokens");
        Assert.Equal(40m, (await s.Api.Get($"/api/marketplace-component-usages/?resource_uuid={resource}")).Array.Single()!["usage"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task AFullMonthOfAFixedFeeIsOneUnitAndTerminationEndsIt()
    {
        await using var s = await EmulatorSession.StartAsync();
        var m = await SetUpAsync(s);
        await PriceAsync(s, m.SmallPlanUuid, new { @base = "50" }, new { @base = 1 });
        await At(s, "2026-09-20T00:00:00Z");
        var (_, resource) = await ProvisionedAsync(s, m);
        await At(s, "2026-11-05T10:00:00Z");
        var terminate = await s.ControlPost("/emulator/orders", new { offering_uuid = m.OfferingUuid, project_uuid = m.ProjectUuid, type = "Terminate", resource_uuid = resource });
        Expect(HttpStatusCode.OK, await s.Api.Post($"/api/marketplace-orders/{Uuid(terminate)}/approve_by_provider/", new JsonObject()));
        Expect(HttpStatusCode.OK, await s.Api.Post($"/api/marketplace-orders/{Uuid(terminate)}/set_state_done/"));

        Assert.Equal("50.00", (await Invoice(s, m.ConsumerCustomerUuid, "2026-10"))["price"]!.GetValue<string>());
        // 1st..5th of 30 days: 5/30 = 0.1667 -> 0.17; 50 x 0.17 = 8.50.
        Assert.Equal("Small/base: 50 x 0.17 = 8.50", Line((await Invoice(s, m.ConsumerCustomerUuid, "2026-11"))["items"]!.AsArray().Single()));
        Assert.Empty((await Invoice(s, m.ConsumerCustomerUuid, "2026-12"))["items"]!.AsArray());
    }

    [Fact]
    public async Task TerminationInvoicesAMonthlyLimitAsTheLimitTimesTheFullDaysOfItsLastPeriod()
    {
        await using var s = await EmulatorSession.StartAsync();
        var m = await SetUpAsync(s);
        await PriceAsync(s, m.SmallPlanUuid, new { seats = "2" }, new { });
        await At(s, "2026-09-20T00:00:00Z");
        var (_, resource) = await ProvisionedAsync(s, m); // seats limit 5
        await At(s, "2026-11-05T10:00:00Z");
        var terminate = await s.ControlPost("/emulator/orders", new { offering_uuid = m.OfferingUuid, project_uuid = m.ProjectUuid, type = "Terminate", resource_uuid = resource });
        Expect(HttpStatusCode.OK, await s.Api.Post($"/api/marketplace-orders/{Uuid(terminate)}/approve_by_provider/", new JsonObject()));
        Expect(HttpStatusCode.OK, await s.Api.Post($"/api/marketplace-orders/{Uuid(terminate)}/set_state_done/"));

        // A month the resource ran to its end bills the limit once, whatever the days.
        Assert.Equal("Small/seats: 2 x 5 = 10.00", Line((await Invoice(s, m.ConsumerCustomerUuid, "2026-10"))["items"]!.AsArray().Single()));
        // Waldur's InvoiceItem.terminate (waldur-mastermind invoices/models.py, snapshot 1ea6cb8) re-totals the last limit
        // period as int(quantity) x utils.get_full_days(start, end): 1st 00:00 .. 5th 10:00 is 4 days and 10 hours, 5 full
        // days, so the quantity becomes 5 x 5 = 25 seats and the item 2 x 25 = 50.00, not the month's 10.00.
        Assert.Equal("Small/seats: 2 x 25 = 50.00", Line((await Invoice(s, m.ConsumerCustomerUuid, "2026-11"))["items"]!.AsArray().Single()));
    }
}
