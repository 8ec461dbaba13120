using System.Net;
using System.Text.Json.Nodes;
using WaldurEmulator.Tests.Support;
using static WaldurEmulator.Tests.Support.Marketplace;

namespace WaldurEmulator.Tests;

public sealed class UsageTests
{
    private static JsonObject Report(string resource, string type, string amount, string? date = null)
    {
        var body = new JsonObject
        {
            ["resource"] = resource,
            ["usages"] = new JsonArray(new JsonObject { ["type"] = type, ["amount"] = amount }),
        };
        if (date is not null) body["date"] = date;
        return body;
    }

    private static async Task<JsonArray> Usages(EmulatorSession s, string resource, string period) =>
        (await s.Api.Get($"/api/marketplace-component-usages/?resource_uuid={resource}&billing_period={period}")).Array;

    /// <summary>The emulator's date in these tests: the 31st, half an hour before a month (and a year) ends.</summary>
    private static readonly DateTime Now = new(2025, 12, 31, 23, 30, 0, DateTimeKind.Utc);

    private static string ThisMonth => Now.ToString("yyyy-MM-01");

    [Fact]
    public async Task SetUsageReplacesTheMonthValue()
    {
        await using var s = await EmulatorSession.StartAtAsync(Now);
        var m = await SetUpAsync(s);
        var (_, resource) = await ProvisionedAsync(s, m);

        Expect(HttpStatusCode.Created, await s.Api.Post("/api/marketplace-component-usages/set_usage/", Report(resource, "tokens", "100.00")));
        Expect(HttpStatusCode.Created, await s.Api.Post("/api/marketplace-component-usages/set_usage/", Report(resource, "tokens", "40.00")));

        var usage = Assert.Single(await Usages(s, resource, ThisMonth))!.AsObject();
        Assert.Equal(40m, usage["usage"]!.GetValue<decimal>());
        Assert.Equal(ThisMonth, usage["billing_period"]!.GetValue<string>());
    }

    [Fact]
    public async Task UsageAndLimitComponentsAreKeptApart()
    {
        await using var s = await EmulatorSession.StartAtAsync(Now);
        var m = await SetUpAsync(s);
        var (_, resource) = await ProvisionedAsync(s, m);

        await s.Api.Post("/api/marketplace-component-usages/set_usage/", Report(resource, "tokens", "7"));
        await s.Api.Post("/api/marketplace-component-usages/set_usage/", Report(resource, "seats", "3"));

        var usages = await Usages(s, resource, ThisMonth);
        Assert.Equal(["seats:3", "tokens:7"], usages.Select(u => $"{u!["type"]}:{u["usage"]}").Order());
    }

    [Fact]
    public async Task FractionalAmountIsStoredToTheCent()
    {
        await using var s = await EmulatorSession.StartAtAsync(Now);
        var m = await SetUpAsync(s);
        var (_, resource) = await ProvisionedAsync(s, m);

        await s.Api.Post("/api/marketplace-component-usages/set_usage/", Report(resource, "tokens", "12.50"));

        // The subset types ComponentUsage.usage as integer; Waldur writes the stored Decimal as a JSON number.
        var text = await s.Http.GetStringAsync($"/api/marketplace-component-usages/?resource_uuid={resource}", TestContext.Current.CancellationToken);
        Assert.Equal(12.5m, JsonNode.Parse(text)!.AsArray().Single()!["usage"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task SetUsageOnATerminatedResourceIsRejected()
    {
        await using var s = await EmulatorSession.StartAtAsync(Now);
        var m = await SetUpAsync(s);
        var (_, resource) = await ProvisionedAsync(s, m);
        var terminate = await s.ControlPost("/emulator/orders", new { offering_uuid = m.OfferingUuid, project_uuid = m.ProjectUuid, type = "Terminate", resource_uuid = resource });
        await s.Api.Post($"/api/marketplace-orders/{Uuid(terminate)}/approve_by_provider/", new JsonObject());
        await s.Api.Post($"/api/marketplace-orders/{Uuid(terminate)}/set_state_done/");

        var response = await s.Api.Post("/api/marketplace-component-usages/set_usage/", Report(resource, "tokens", "1"));

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("Resource is not in valid state.", response.Object["resource"]![0]!.GetValue<string>());
        Assert.Empty(await Usages(s, resource, ThisMonth));
    }

    [Fact]
    public async Task SetUsageOnACreatingResourceIsRejected()
    {
        await using var s = await EmulatorSession.StartAtAsync(Now);
        var m = await SetUpAsync(s);
        var (_, resource) = await OrderAsync(s, m);

        Assert.Equal(HttpStatusCode.BadRequest, (await s.Api.Post("/api/marketplace-component-usages/set_usage/", Report(resource, "tokens", "1"))).Status);
    }

    [Fact]
    public async Task FixedComponentsDoNotAcceptUsage()
    {
        await using var s = await EmulatorSession.StartAtAsync(Now);
        var m = await SetUpAsync(s);
        var (_, resource) = await ProvisionedAsync(s, m);

        var response = await s.Api.Post("/api/marketplace-component-usages/set_usage/", Report(resource, "base", "1"));

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("These components are invalid: base.", response.Object["non_field_errors"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task AmountsWithMoreThanTwoDecimalsAreRejected()
    {
        await using var s = await EmulatorSession.StartAtAsync(Now);
        var m = await SetUpAsync(s);
        var (_, resource) = await ProvisionedAsync(s, m);

        var response = await s.Http.PostAsync("/api/marketplace-component-usages/set_usage/",
            new StringContent(Report(resource, "tokens", "1.001").ToJsonString(), System.Text.Encoding.UTF8, "application/json"),
            TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task DateReportsIntoThePreviousMonth()
    {
        await using var s = await EmulatorSession.StartAtAsync(Now);
        var m = await SetUpAsync(s);
        var (_, resource) = await ProvisionedAsync(s, m);
        var lastMonth = new DateTime(Now.Year, Now.Month, 1, 0, 0, 0, DateTimeKind.Utc).AddDays(-1);

        Expect(HttpStatusCode.Created, await s.Api.Post("/api/marketplace-component-usages/set_usage/",
            Report(resource, "tokens", "9", lastMonth.ToString("yyyy-MM-ddTHH:mm:ssZ"))));

        Assert.Single(await Usages(s, resource, lastMonth.ToString("yyyy-MM-01")));
        Assert.Empty(await Usages(s, resource, ThisMonth));
    }

    [Fact]
    public async Task PastUsageNeedsAStaffToken()
    {
        await using var s = await EmulatorSession.StartAtAsync(Now, o => o.Tokens.AddRange(
            [new EmulatorToken { Token = "emulator-token" }, new EmulatorToken { Token = "provider", Username = "provider", IsStaff = false }]));
        var m = await SetUpAsync(s);
        var (_, resource) = await ProvisionedAsync(s, m);
        var lastMonth = Now.AddMonths(-1).ToString("yyyy-MM-01T12:00:00Z");

        var response = await s.ApiAs("provider").Post("/api/marketplace-component-usages/set_usage/", Report(resource, "tokens", "9", lastMonth));

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
    }
}
