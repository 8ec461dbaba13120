using System.Net;
using AgentRegistry.Waldur.Client;
using static AgentRegistry.Tests.Waldur.Client.WaldurTestbed;

namespace AgentRegistry.Tests.Waldur.Client;

public sealed class WaldurUsageTests
{
    [Fact]
    public async Task UsageForAnotherMonthLandsInThatBillingPeriod()
    {
        await using var t = await StartAsync();
        var thisMonth = Infrastructure.TestDates.MonthOf(await t.AtAsync(Infrastructure.TestDates.MonthStart));
        var resource = await TestMarketplace.ProvisionedResource(t);
        var lastMonth = thisMonth.AddMonths(-1);

        await t.Client.SetUsageAsync(resource, [new ComponentUsageReport("tokens", 40m)], lastMonth);
        await t.Client.SetUsageAsync(resource, [new ComponentUsageReport("tokens", 7m)]);

        Assert.Equal(40m, Assert.Single(await t.Client.ListComponentUsagesAsync(resource, lastMonth)).Usage);
        Assert.Equal(7m, Assert.Single(await t.Client.ListComponentUsagesAsync(resource, thisMonth)).Usage);
        Assert.Empty(t.Contract.Violations);
    }

    [Fact]
    public async Task UsageOfAResourceNotYetProvisionedIsRefusedWithTheFieldError()
    {
        await using var t = await StartAsync();
        var order = await TestMarketplace.PlaceOrder(t, await TestMarketplace.PublishedOffering(t));
        var creating = (await t.Client.GetOrderAsync(order)).MarketplaceResourceUuid!.Value;

        var error = await Assert.ThrowsAsync<WaldurApiException>(() => t.Client.SetUsageAsync(creating, [new ComponentUsageReport("tokens", 1m)]));

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.False(error.IsTransient);
        Assert.Contains("resource", error.FieldErrors.Keys);
        Assert.Equal(1, t.Contract.AttemptsAt(HttpMethod.Post, "set_usage"));
    }
}
