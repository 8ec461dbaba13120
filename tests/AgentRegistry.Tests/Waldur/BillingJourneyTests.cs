using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AgentRegistry.Access;
using AgentRegistry.Tests.Infrastructure;
using AgentRegistry.Waldur.Reporting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentRegistry.Tests.Waldur;

/// <summary>
/// For each plan shape, a customer's month as Waldur invoices it: ordered on the 10th, usage, a switch to another plan
/// on the 20th, usage up to just before the month ends, termination on the 5th of the next month. The emulated
/// Waldur's invoices for both months equal, to the cent, what the plans promise: the fee for the days each plan was in
/// force (Waldur's rule: whole days between start and end plus one, over the month's days, rounded up to cents), each
/// message at the price of the plan in force when it was used, and a prepaid allowance at its plan's price per month
/// (re-totalled by full days at termination, as Waldur's InvoiceItem.terminate does); reconciled in money, each month
/// matches.
/// </summary>
public abstract class BillingJourneyTests(RegistryApp app, Marketplace market, ManualClock clock) : RegistryTest(app)
{
    private readonly UsageReportingJourney _journey = new(app, market);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record Shape(decimal FeeA, decimal FeeB, string? BillingType, decimal PriceA, decimal PriceB, decimal? Prepaid = null);

    [Fact]
    public Task AFeeOnlyPlanIsInvoicedForTheDaysEachPlanWasInForce() =>
        JourneyAsync(new Shape(30m, 62m, null, 0, 0), october: "34.08", november: "10.54");

    [Fact]
    public Task AFeeAndUsagePlanIsInvoicedTheFeeByDaysAndEachMessageAtThePlanInForce() =>
        JourneyAsync(new Shape(30m, 62m, "usage", 0.05m, 0.04m), october: "42.08", november: "10.62");

    [Fact]
    public Task APrepaidPlanIsInvoicedTheOrderedLimitAtEachPlansPrice() =>
        // October: 500 at 0.02 on Basic plus 500 at 0.015 on Plus, each plan period billing the month's allowance.
        // November: Waldur's InvoiceItem.terminate re-totals the last limit period as the limit times its full days
        // (utils.get_full_days): 1 November 00:00 to the termination on the 5th at 10:00 is 4 days 10 hours, 5 full days,
        // so 500 x 5 = 2,500 at 0.015 = 37.50, not the month's 7.50.
        JourneyAsync(new Shape(0m, 0m, "limit", 0.02m, 0.015m, Prepaid: 500), october: "17.50", november: "37.50");

    [Fact]
    public Task AUsageOnlyPlanIsInvoicedEachMessageAtThePlanInForce() =>
        JourneyAsync(new Shape(0m, 0m, "usage", 0.05m, 0.04m), october: "8.00", november: "0.08");

    [Fact]
    public async Task ReconciliationAfterAMidMonthSwitchComparesTheNewPlanFromTheSwitchOn()
    {
        var s = await SwitchingCustomerAsync();
        await UseAsync(s.Runtime, 100, tokens: 3000);
        await _journey.PassAsync();
        await AtAsync("2026-10-20T06:00:00Z");
        await SwitchAsync(s, "Plus");
        await AtAsync("2026-10-20T07:00:00Z");
        await UseAsync(s.Runtime, 50, tokens: 2000);
        await _journey.PassAsync();

        var rows = await ReconcileAsync(new DateOnly(2026, 10, 1), s.AccessId);
        var byType = rows.Where(r => r.Plan == "Plus").ToDictionary(r => r.ComponentType);
        // The new plan from the switch on: 50 messages and 2 x 1,000 tokens, as Waldur holds them in its plan period;
        // the 3,000 tokens before the switch were not billable under the old plan.
        Assert.Equal((50m, 50m), (byType["messages"].Expected, byType["messages"].Waldur!.Value));
        Assert.Equal((2m, 2m), (byType["tokens"].Expected, byType["tokens"].Waldur!.Value));
        Assert.All(rows, r => Assert.Equal(AgentRegistry.Waldur.Reporting.ReconciliationStatus.Match, r.Status));
        // The old plan over its own part of the month: its 100 messages, filed under its plan period.
        var basic = Assert.Single(rows, r => r.Plan == "Basic");
        Assert.Equal(("messages", 100m, 100m), (basic.ComponentType, basic.Expected, basic.Waldur!.Value));
    }

    [Fact]
    public async Task AMonthWhollyBeforeASwitchIsReconciledWithThePlanThenInForce()
    {
        var s = await SwitchingCustomerAsync();
        await UseAsync(s.Runtime, 100, tokens: 3000);
        await AtAsync("2026-10-31T23:50:00Z");
        await _journey.PassAsync();
        await AtAsync("2026-11-03T09:00:00Z");
        await SwitchAsync(s, "Plus");
        await UseAsync(s.Runtime, 10, tokens: 1000);
        await _journey.PassAsync();

        // October had only the old plan: its messages, and no tokens (today's plan bills them, October's did not).
        await using (var scope = App.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<AgentRegistry.Metering.UsageAggregator>().RunAsync(new DateTime(2026, 10, 1, 0, 0, 0, DateTimeKind.Utc), Ct);
        var october = await ReconcileAsync(new DateOnly(2026, 10, 1), s.AccessId);
        var row = Assert.Single(october);
        Assert.Equal(("Basic", "messages", 100m, 100m), (row.Plan, row.ComponentType, row.Expected, row.Waldur!.Value));
        Assert.Equal(AgentRegistry.Waldur.Reporting.ReconciliationStatus.Match, row.Status);
        var periods = await _journey.QueryAsync(db => db.AccessPlanPeriods.Where(p => p.AccessId == s.AccessId).OrderBy(p => p.From)
            .Select(p => new { p.Plan!.Name, p.From, p.To }).ToListAsync(Ct));
        Assert.Equal(["Basic", "Plus"], periods.Select(p => p.Name));
        // Opened when the Create order was processed (the fixture clock runs on from 08:00).
        Assert.InRange(periods[0].From, new DateTime(2026, 10, 10, 8, 0, 0, DateTimeKind.Utc), new DateTime(2026, 10, 10, 8, 5, 0, DateTimeKind.Utc));
        Assert.Equal(periods[1].From, periods[0].To);
        Assert.Null(periods[1].To);
    }

    [Fact]
    public async Task EachDifferenceInjectedInWaldurIsReconciledInMoneyWithItsStatus()
    {
        var op = await Op();
        await AtAsync("2026-10-10T08:00:00Z");
        var category = await op.PostJson("/api/v1/categories", new { name = "Billing", slug = Seed.Unique("billing") }).Created();
        var agent = await op.PostJson("/api/v1/agents", new
        {
            category_id = category.Id(), name = "Checked helpdesk", slug = Seed.Unique("checked"), description = "Billed by Waldur",
            default_persona = "You are a helpful support agent.",
        }).Created();
        // A fee, messages by usage and a prepaid allowance of output tokens (per 1,000).
        await op.PostJson($"/api/v1/agents/{agent.Id()}/plans", new
        {
            name = "Full", unit = "month", unit_price = 30m,
            components = new object[]
            {
                new { type = "messages", name = "Messages", billing_type = "usage", price = 0.05m },
                new { type = "tokens", name = "Tokens", billing_type = "limit", metric = "output_tokens", unit_size = 1000, price = 0.02m, limit = 1000m },
            },
        }).Created();
        var published = await op.PostAsync($"/api/v1/agents/{agent.Id()}/publish", null).Json200();
        var plan = Guid.Parse((string)(await op.GetAsync($"/api/v1/agents/{agent.Id()}/plans").Json200()).AsArray()[0]!["waldur_plan_uuid"]!);
        await App.ConfigureHooksAsync();
        var customer = await market.ControlAsync("/emulator/customers", new { name = Seed.Unique("Initech") });
        var project = await market.ControlAsync("/emulator/projects", new { customer_uuid = (string)customer["uuid"]!, name = "Help desk" });
        var create = await market.ControlAsync("/emulator/orders", new
        {
            offering_uuid = (string)published["waldur_offering_uuid"]!, plan_uuid = plan.ToString("N"), project_uuid = (string)project["uuid"]!,
            type = "Create", limits = new Dictionary<string, decimal> { ["tokens"] = 500 },
        });
        var resource = Guid.Parse((string)(await market.WaitForOrderAsync((string)create["uuid"]!, "done"))["marketplace_resource_uuid"]!);
        var accessId = await _journey.QueryAsync(db => db.Accesses.Where(a => a.WaldurResourceUuid == resource).Select(a => a.Id).SingleAsync(Ct));
        var runtime = App.WithKey(await op.IssueKeyAsync(accessId.ToString(), "usage:write"));
        await UseAsync(runtime, 100);
        await _journey.PassAsync();
        var october = new DateOnly(2026, 10, 1);
        async Task<IReadOnlyList<InvoiceCheck>> StatusesAsync() => Assert.Single(await InvoiceCheckAsync(october, accessId)).Statuses;

        // 22 days of 31 of 30.00 (rounded up: 0.71 x 30), 100 messages at 0.05, 500 x 1,000 tokens at 0.02.
        var baseline = Assert.Single(await InvoiceCheckAsync(october, accessId));
        Assert.Equal([InvoiceCheck.Match], baseline.Statuses);
        Assert.Equal((21.30m + 5.00m + 10.00m, 36.30m), (baseline.Expected, baseline.Waldur));
        Assert.Equal("36.30", (string?)(await InvoiceAsync((string)customer["uuid"]!, "2026-10"))["price"]);

        var prices = new Dictionary<string, decimal> { ["plan_fee"] = 30m, ["messages"] = 0.05m, ["tokens"] = 0.02m };
        await _journey.Waldur.UpdatePlanQuotasAsync(plan, new Dictionary<string, long> { ["plan_fee"] = 0 }, Ct);
        Assert.Equal([InvoiceCheck.FixedQuotaMissing], await StatusesAsync());
        await _journey.Waldur.UpdatePlanQuotasAsync(plan, new Dictionary<string, long> { ["plan_fee"] = 1 }, Ct);

        await _journey.Waldur.UpdatePlanPricesAsync(plan, new Dictionary<string, decimal>(prices) { ["messages"] = 0.06m }, Ct);
        Assert.Equal([InvoiceCheck.PriceDiffers], await StatusesAsync());
        await _journey.Waldur.UpdatePlanPricesAsync(plan, prices, Ct);

        await _journey.Waldur.SetResourceLimitsAsync(resource, new Dictionary<string, long> { ["tokens"] = 600 }, Ct);
        var limit = Assert.Single(await InvoiceCheckAsync(october, accessId));
        Assert.Equal([InvoiceCheck.LimitDiffers], limit.Statuses);
        Assert.Equal(12.00m - 10.00m, limit.Waldur - limit.Expected);
        await _journey.Waldur.SetResourceLimitsAsync(resource, new Dictionary<string, long> { ["tokens"] = 500 }, Ct);
        Assert.Equal([InvoiceCheck.Match], await StatusesAsync());

        var usage = (await _journey.Waldur.ListComponentUsagesAsync(resource, october, Ct)).Single(u => u.Type == "messages");
        (await market.Waldur.CreateControlClient().DeleteAsync($"/emulator/usages/{usage.Uuid:N}", Ct)).EnsureSuccessStatusCode();
        Assert.Equal([InvoiceCheck.UsageMissing], await StatusesAsync());

        // An access billed in October (created then) of which the registry holds no plan period.
        await _journey.QueryAsync(db => db.Accesses.Where(a => a.Id == accessId)
            .ExecuteUpdateAsync(u => u.SetProperty(a => a.CreatedAt, new DateTime(2026, 10, 10, 8, 0, 0, DateTimeKind.Utc)), Ct));
        await _journey.QueryAsync(db => db.AccessPlanPeriods.Where(p => p.AccessId == accessId).ExecuteDeleteAsync(Ct));
        Assert.Equal([InvoiceCheck.NoPlanPeriod], await StatusesAsync());
    }

    [Fact]
    public async Task EditingThePriceOfAPlanInUseMakesANewVersionAndLeavesThisMonthsInvoice()
    {
        var op = await Op();
        await AtAsync("2026-10-10T08:00:00Z");
        var (basic, _, offering) = await PublishAsync(op, new Shape(30m, 62m, null, 0, 0));
        var customer = await market.ControlAsync("/emulator/customers", new { name = Seed.Unique("Initech") });
        var project = await market.ControlAsync("/emulator/projects", new { customer_uuid = (string)customer["uuid"]!, name = "Help desk" });
        var create = await market.ControlAsync("/emulator/orders", new { offering_uuid = offering, plan_uuid = basic, project_uuid = (string)project["uuid"]!, type = "Create" });
        var resource = Guid.Parse((string)(await market.WaitForOrderAsync((string)create["uuid"]!, "done"))["marketplace_resource_uuid"]!);
        var access = await _journey.QueryAsync(db => db.Accesses.Where(a => a.WaldurResourceUuid == resource).Select(a => new { a.Id, a.PlanId, a.AgentId }).SingleAsync(Ct));

        await AtAsync("2026-10-15T09:00:00Z");
        var edited = await op.PutJson($"/api/v1/agents/{access.AgentId}/plans/{access.PlanId}", new { name = "Basic", unit = "month", unit_price = 40m }).Json200();
        Assert.NotEqual(access.PlanId.ToString(), edited.Id());
        Assert.Equal((2, true, "Basic"), ((int)edited["version"]!, (bool)edited["is_current"]!, (string?)edited["name"]));
        var old = await op.GetAsync($"/api/v1/agents/{access.AgentId}/plans/{access.PlanId}").Json200();
        Assert.Equal((1, false, edited.Id(), 30m), ((int)old["version"]!, (bool)old["is_current"]!, (string?)old["replaced_by_id"], (decimal)old["unit_price"]!));
        // A replaced version is not edited any more.
        await op.PutJson($"/api/v1/agents/{access.AgentId}/plans/{access.PlanId}", new { name = "Basic", unit = "month", unit_price = 50m }).Problem(409);

        var published = await op.PostAsync($"/api/v1/agents/{access.AgentId}/publish", null).Json200();
        var version2 = (string)(await op.GetAsync($"/api/v1/agents/{access.AgentId}/plans/{edited.Id()}").Json200())["waldur_plan_uuid"]!;
        Assert.NotEqual(basic, version2);
        // The subscription keeps version 1, and Waldur bills it at 30: 10th..31st of October, 22/31 -> 0.71 x 30.
        Assert.Equal(access.PlanId, await _journey.QueryAsync(db => db.Accesses.Where(a => a.Id == access.Id).Select(a => a.PlanId).SingleAsync(Ct)));
        Assert.Equal("21.30", (string?)(await InvoiceAsync((string)customer["uuid"]!, "2026-10"))["price"]);
        Assert.Equal([InvoiceCheck.Match], Assert.Single(await InvoiceCheckAsync(new DateOnly(2026, 10, 1), access.Id)).Statuses);

        // A new order gets the new version.
        var again = await market.ControlAsync("/emulator/orders", new { offering_uuid = (string)published["waldur_offering_uuid"]!, plan_uuid = version2, project_uuid = (string)project["uuid"]!, type = "Create" });
        var second = Guid.Parse((string)(await market.WaitForOrderAsync((string)again["uuid"]!, "done"))["marketplace_resource_uuid"]!);
        Assert.Equal(Guid.Parse(edited.Id()), await _journey.QueryAsync(db => db.Accesses.Where(a => a.WaldurResourceUuid == second).Select(a => a.PlanId).SingleAsync(Ct)));
    }

    private async Task<IReadOnlyList<InvoiceReconciliationResult>> InvoiceCheckAsync(DateOnly month, Guid accessId)
    {
        await using var scope = App.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<AgentRegistry.Infrastructure.Caller>().AsSystem();
        return await scope.ServiceProvider.GetRequiredService<InvoiceReconciliation>().ReconcileAsync(month, accessId, Ct);
    }

    private sealed record SwitchingCustomer(HttpClient Op, string Offering, Dictionary<string, string> Plans, string Project, string Resource, Guid AccessId, HttpClient Runtime);

    /// <summary>Basic bills messages; Plus bills messages and output tokens (per 1,000). Ordered on Basic on 10 October.</summary>
    private async Task<SwitchingCustomer> SwitchingCustomerAsync()
    {
        var op = await Op();
        await AtAsync("2026-10-10T08:00:00Z");
        var category = await op.PostJson("/api/v1/categories", new { name = "Billing", slug = Seed.Unique("billing") }).Created();
        var agent = await op.PostJson("/api/v1/agents", new
        {
            category_id = category.Id(), name = "Switched helpdesk", slug = Seed.Unique("switched"), description = "Billed by Waldur",
            default_persona = "You are a helpful support agent.",
        }).Created();
        var messages = new { type = "messages", name = "Messages", billing_type = "usage", price = 0.05m };
        await op.PostJson($"/api/v1/agents/{agent.Id()}/plans", new { name = "Basic", unit = "month", unit_price = 0m, components = new object[] { messages } }).Created();
        // Only the new plan bills output tokens (per 1,000).
        await op.PostJson($"/api/v1/agents/{agent.Id()}/plans", new
        {
            name = "Plus", unit = "month", unit_price = 0m,
            components = new object[] { messages, new { type = "tokens", name = "Tokens", billing_type = "usage", metric = "output_tokens", unit_size = 1000, price = 0.01m } },
        }).Created();
        var published = await op.PostAsync($"/api/v1/agents/{agent.Id()}/publish", null).Json200();
        var plans = (await op.GetAsync($"/api/v1/agents/{agent.Id()}/plans").Json200()).AsArray().ToDictionary(p => (string)p!["name"]!, p => (string)p!["waldur_plan_uuid"]!);
        var offering = (string)published["waldur_offering_uuid"]!;
        await App.ConfigureHooksAsync();
        var customer = await market.ControlAsync("/emulator/customers", new { name = Seed.Unique("Initech") });
        var project = await market.ControlAsync("/emulator/projects", new { customer_uuid = (string)customer["uuid"]!, name = "Help desk" });
        var create = await market.ControlAsync("/emulator/orders", new { offering_uuid = offering, plan_uuid = plans["Basic"], project_uuid = (string)project["uuid"]!, type = "Create" });
        var resource = (string)(await market.WaitForOrderAsync((string)create["uuid"]!, "done"))["marketplace_resource_uuid"]!;
        var accessId = await _journey.QueryAsync(db => db.Accesses.Where(a => a.WaldurResourceUuid == Guid.Parse(resource)).Select(a => a.Id).SingleAsync(Ct));
        // The access's creation time is the system's, not the fixture clock's: put it on the order's date.
        await _journey.QueryAsync(db => db.Accesses.Where(a => a.Id == accessId)
            .ExecuteUpdateAsync(u => u.SetProperty(a => a.CreatedAt, new DateTime(2026, 10, 10, 8, 0, 0, DateTimeKind.Utc)), Ct));
        var runtime = App.WithKey(await op.IssueKeyAsync(accessId.ToString(), "usage:write"));
        return new SwitchingCustomer(op, offering, plans, (string)project["uuid"]!, resource, accessId, runtime);
    }

    private async Task SwitchAsync(SwitchingCustomer s, string plan)
    {
        var update = await market.ControlAsync("/emulator/orders", new { offering_uuid = s.Offering, plan_uuid = s.Plans[plan], project_uuid = s.Project, type = "Update", resource_uuid = s.Resource });
        await market.WaitForOrderAsync((string)update["uuid"]!, "done");
    }

    private async Task<IReadOnlyList<AgentRegistry.Waldur.Reporting.ReconciliationRow>> ReconcileAsync(DateOnly month, Guid accessId)
    {
        await using var scope = App.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<AgentRegistry.Infrastructure.Caller>().AsSystem();
        return await scope.ServiceProvider.GetRequiredService<AgentRegistry.Waldur.Reporting.UsageReconciliation>().ReconcileAsync(month, accessId, Ct);
    }

    private async Task JourneyAsync(Shape shape, string october, string november)
    {
        var op = await Op();
        await AtAsync("2026-10-10T08:00:00Z");
        var (planA, planB, offering) = await PublishAsync(op, shape);
        var customer = await market.ControlAsync("/emulator/customers", new { name = Seed.Unique("Initech") });
        var project = await market.ControlAsync("/emulator/projects", new { customer_uuid = (string)customer["uuid"]!, name = "Help desk" });
        var limits = shape.Prepaid is { } prepaid ? new Dictionary<string, decimal> { ["messages"] = prepaid } : null;
        var create = await market.ControlAsync("/emulator/orders", new { offering_uuid = offering, plan_uuid = planA, project_uuid = (string)project["uuid"]!, type = "Create", limits });
        var resource = (string)(await market.WaitForOrderAsync((string)create["uuid"]!, "done"))["marketplace_resource_uuid"]!;
        var accessId = await _journey.QueryAsync(db => db.Accesses.Where(a => a.WaldurResourceUuid == Guid.Parse(resource)).Select(a => a.Id).SingleAsync(Ct));
        if (limits is not null)
            Assert.Equal(limits, await _journey.QueryAsync(db => db.Accesses.Where(a => a.Id == accessId).Select(a => a.Limits).SingleAsync(Ct)));
        var runtime = App.WithKey(await op.IssueKeyAsync(accessId.ToString(), "usage:write"));

        await UseAsync(runtime, 100);
        await _journey.PassAsync();

        await AtAsync("2026-10-20T06:00:00Z");
        var update = await market.ControlAsync("/emulator/orders", new { offering_uuid = offering, plan_uuid = planB, project_uuid = (string)project["uuid"]!, type = "Update", resource_uuid = resource });
        await market.WaitForOrderAsync((string)update["uuid"]!, "done");
        await UseAsync(runtime, 50);
        await _journey.PassAsync();

        // The last minutes of the month: the pass just before the month ends reports them while October is open.
        await AtAsync("2026-10-31T23:40:00Z");
        await UseAsync(runtime, 25);
        await AtAsync("2026-10-31T23:50:00Z");
        await _journey.PassAsync();

        await AtAsync("2026-11-05T10:00:00Z");
        await UseAsync(runtime, 2);
        var terminate = await market.ControlAsync("/emulator/orders", new { offering_uuid = offering, project_uuid = (string)project["uuid"]!, type = "Terminate", resource_uuid = resource });
        await market.WaitForOrderAsync((string)terminate["uuid"]!, "done");

        var octoberInvoice = await InvoiceAsync((string)customer["uuid"]!, "2026-10");
        var novemberInvoice = await InvoiceAsync((string)customer["uuid"]!, "2026-11");
        Assert.True(october == (string?)octoberInvoice["price"], $"October: {octoberInvoice.ToJsonString()}");
        Assert.True(november == (string?)novemberInvoice["price"], $"November: {novemberInvoice.ToJsonString()}");
        Assert.Equal("created", (string?)octoberInvoice["state"]);

        // Reconciled in money, each month equals Waldur's invoice and what the plans promise.
        foreach (var (month, price) in new[] { (new DateOnly(2026, 10, 1), october), (new DateOnly(2026, 11, 1), november) })
        {
            var check = Assert.Single(await InvoiceCheckAsync(month, accessId));
            Assert.True(check.Statuses.SequenceEqual([InvoiceCheck.Match]), $"{month}: {string.Join(", ", check.Lines)}");
            Assert.Equal((decimal.Parse(price, System.Globalization.CultureInfo.InvariantCulture), check.Expected), (check.Waldur, check.Expected));
        }
    }

    private async Task<(string PlanA, string PlanB, string Offering)> PublishAsync(HttpClient op, Shape shape)
    {
        var category = await op.PostJson("/api/v1/categories", new { name = "Billing", slug = Seed.Unique("billing") }).Created();
        var agent = await op.PostJson("/api/v1/agents", new
        {
            category_id = category.Id(), name = "Billed helpdesk", slug = Seed.Unique("billed"), description = "Billed by Waldur",
            default_persona = "You are a helpful support agent.",
        }).Created();
        foreach (var (name, fee, price) in new[] { ("Basic", shape.FeeA, shape.PriceA), ("Plus", shape.FeeB, shape.PriceB) })
            await op.PostJson($"/api/v1/agents/{agent.Id()}/plans", new
            {
                name, unit = "month", unit_price = fee,
                components = shape.BillingType is null ? Array.Empty<object>()
                    : [new { type = "messages", name = "Messages", billing_type = shape.BillingType, price, limit = shape.BillingType == "limit" ? 1000m : (decimal?)null }],
            }).Created();
        var published = await op.PostAsync($"/api/v1/agents/{agent.Id()}/publish", null).Json200();
        var plans = (await op.GetAsync($"/api/v1/agents/{agent.Id()}/plans").Json200()).AsArray()
            .ToDictionary(p => (string)p!["name"]!, p => (string)p!["waldur_plan_uuid"]!);
        await App.ConfigureHooksAsync();
        return (plans["Basic"], plans["Plus"], (string)published["waldur_offering_uuid"]!);
    }

    /// <summary>The agent runtime reports messages used just now.</summary>
    private async Task UseAsync(HttpClient runtime, int messages, int tokens = 0)
    {
        var at = clock.GetUtcNow().UtcDateTime;
        var events = new[] { new { id = Seed.Unique("use"), metric = "messages", quantity = messages, occurred_at = at } }.ToList();
        if (tokens > 0) events.Add(new { id = Seed.Unique("use"), metric = "output_tokens", quantity = tokens, occurred_at = at });
        var result = await runtime.PostJson("/api/v1/usage/events", new { events }).Json200();
        Assert.Equal(events.Count, (int)result["accepted"]!);
    }

    private async Task AtAsync(string now)
    {
        var at = DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture);
        clock.RunFrom(at);
        (await market.Waldur.CreateControlClient().PostAsJsonAsync("/emulator/clock", new { now }, Ct)).EnsureSuccessStatusCode();
    }

    private async Task<JsonNode> InvoiceAsync(string customer, string month) =>
        JsonNode.Parse(await market.Waldur.CreateControlClient().GetStringAsync($"/emulator/invoices/?customer_uuid={customer}&month={month}", Ct))!;
}

public sealed class BillingJourneyOnSqlite(ReportingRegistry<Sqlite> app) : BillingJourneyTests(app, app.Market, app.Clock), IClassFixture<ReportingRegistry<Sqlite>>;

public sealed class BillingJourneyOnPostgres(ReportingRegistry<Postgres> app) : BillingJourneyTests(app, app.Market, app.Clock), IClassFixture<ReportingRegistry<Postgres>>;
