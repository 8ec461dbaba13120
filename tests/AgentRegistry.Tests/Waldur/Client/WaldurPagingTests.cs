using AgentRegistry.Waldur.Client;
using static AgentRegistry.Tests.Waldur.Client.WaldurTestbed;

namespace AgentRegistry.Tests.Waldur.Client;

public sealed class WaldurPagingTests
{
    [Fact]
    public async Task ListsReadEveryPageBeyondThePageSize()
    {
        await using var t = await StartAsync();
        for (var i = 0; i < WaldurClient.PageSize + 5; i++)
            await t.Client.CreateWebHookAsync(new WebHookRequest(new Uri($"http://127.0.0.1:9/hook/{i}"), ["marketplace_order_created"], []));

        var hooks = await t.Client.ListWebHooksAsync();

        Assert.Equal(WaldurClient.PageSize + 5, hooks.Count);
        Assert.Equal(hooks.Count, hooks.Select(h => h.Uuid).Distinct().Count());
        Assert.Equal(2, t.Contract.AttemptsAt(HttpMethod.Get, "/api/hooks-web/"));
        Assert.Empty(t.Contract.Violations);
    }

    [Fact]
    public async Task EventsOfSeveralTypesArePagedToTheEnd()
    {
        await using var t = await StartAsync();
        var at = new DateTimeOffset(await t.AtAsync(Infrastructure.TestDates.MonthEnd));
        var from = at.AddSeconds(-1);
        for (var i = 0; i < 60; i++)
        {
            var customer = await t.ControlPost("/emulator/customers", new { name = $"Customer {i}" });
            await t.ControlPost("/emulator/projects", new { customer_uuid = customer["uuid"]!.GetValue<string>(), name = "P" });
        }

        var events = await t.Client.ListEventsAsync(["customer_creation_succeeded", "project_creation_succeeded"], from);

        Assert.Equal(120, events.Count);
        Assert.Equal(60, events.Count(e => e.EventType == "project_creation_succeeded"));
        Assert.Empty(await t.Client.ListEventsAsync(["customer_creation_succeeded"], at.AddMinutes(5)));
    }
}
