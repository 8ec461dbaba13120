using System.Net.Http.Json;
using System.Net;
using System.Text.Json.Nodes;
using WaldurEmulator.Tests.Support;
using static WaldurEmulator.Tests.Support.Marketplace;

namespace WaldurEmulator.Tests;

public sealed class ControlTests
{
    [Fact]
    public async Task ResetForgetsEverythingButTheSeededCategoryAndTokens()
    {
        await using var s = await EmulatorSession.StartAsync();
        await SetUpAsync(s);

        using var reset = await s.Control.PostAsync("/emulator/reset", null, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        Assert.Empty((await s.Api.Get("/api/customers/")).Array);
        Assert.Empty((await s.Api.Get("/api/marketplace-provider-offerings/")).Array);
        Assert.Single((await s.Api.Get("/api/marketplace-categories/")).Array);
    }

    [Fact]
    public async Task StateDumpListsOrdersAndEvents()
    {
        await using var s = await EmulatorSession.StartAsync();
        var m = await SetUpAsync(s);
        var (order, _) = await OrderAsync(s, m);

        var state = JsonNode.Parse(await s.Control.GetStringAsync("/emulator/state", TestContext.Current.CancellationToken))!;

        Assert.Equal(order, state["orders"]![0]!["uuid"]!.GetValue<string>());
        Assert.Contains(state["events"]!.AsArray(), e => e!["event_type"]!.GetValue<string>() == "marketplace_order_created");
    }

    [Fact]
    public async Task TokenAddedAtRunTimeAuthenticates()
    {
        await using var s = await EmulatorSession.StartAsync();
        await s.ControlPost("/emulator/tokens", new { token = "late", username = "late-user", is_staff = false });

        var me = (await s.ApiAs("late").Get("/api/users/me/")).Object;

        Assert.Equal("late-user", me["username"]!.GetValue<string>());
    }

    [Fact]
    public async Task TerminateOrderEmitsTerminateRequested()
    {
        await using var s = await EmulatorSession.StartAsync();
        var m = await SetUpAsync(s);
        var (_, resource) = await ProvisionedAsync(s, m);

        await s.ControlPost("/emulator/orders", new { offering_uuid = m.OfferingUuid, project_uuid = m.ProjectUuid, type = "Terminate", resource_uuid = resource });

        var events = (await s.Api.Get("/api/events/?event_type=marketplace_resource_terminate_requested")).Array;
        Assert.Equal(resource, Assert.Single(events)!["context"]!["resource_uuid"]!.GetValue<string>());
    }

    [Fact]
    public async Task EventsCanBeReadFromATimestamp()
    {
        // The emulator's clock is set before each event: "Before" at 12:00, "After" a minute later, read from 12:00:30.
        var noon = new DateTime(2025, 12, 31, 12, 0, 0, DateTimeKind.Utc);
        await using var s = await EmulatorSession.StartAtAsync(noon);
        await s.ControlPost("/emulator/customers", new { name = "Before" });
        (await s.Control.PostAsJsonAsync("/emulator/clock", new { now = "2025-12-31T12:01:00Z" }, TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();
        var from = new DateTimeOffset(noon.AddSeconds(30)).ToUnixTimeMilliseconds() / 1000.0;
        await s.ControlPost("/emulator/customers", new { name = "After" });

        var events = (await s.Api.Get($"/api/events/?event_type=customer_creation_succeeded&created_from={from.ToString(System.Globalization.CultureInfo.InvariantCulture)}")).Array;

        Assert.Equal("After", Assert.Single(events)!["context"]!["customer_name"]!.GetValue<string>());
    }

    [Fact]
    public async Task CustomersAndProjectsChangeAndGoWithTheirEvents()
    {
        await using var s = await EmulatorSession.StartAsync();
        var ct = TestContext.Current.CancellationToken;
        var customer = Uuid(await s.ControlPost("/emulator/customers", new { name = "Acme" }));
        var project = Uuid(await s.ControlPost("/emulator/projects", new { customer_uuid = customer, name = "Rockets" }));

        using var renamed = await s.Control.PatchAsJsonAsync($"/emulator/customers/{customer}", new { name = "Acme Ltd", blocked = true, archived = true }, ct);
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        var served = (await s.Api.Get($"/api/customers/{customer}/")).Object;
        Assert.Equal(("Acme Ltd", true, true), (served["name"]!.GetValue<string>(), served["blocked"]!.GetValue<bool>(), served["archived"]!.GetValue<bool>()));
        using var moved = await s.Control.PatchAsJsonAsync($"/emulator/projects/{project}", new { name = "Rockets II", end_date = "2027-01-31" }, ct);
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        var p = (await s.Api.Get($"/api/projects/{project}/")).Object;
        Assert.Equal(("Rockets II", "2027-01-31"), (p["name"]!.GetValue<string>(), p["end_date"]!.GetValue<string>()));

        Assert.Equal(HttpStatusCode.NoContent, (await s.Control.DeleteAsync($"/emulator/projects/{project}", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await s.Control.DeleteAsync($"/emulator/customers/{customer}", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await s.Api.Get($"/api/customers/{customer}/")).Status);

        var events = (await s.Api.Get("/api/events/")).Array.Select(e => e!["event_type"]!.GetValue<string>()).ToList();
        Assert.Equal(1, events.Count(e => e == "customer_update_succeeded"));
        Assert.Equal(1, events.Count(e => e == "project_update_succeeded"));
        Assert.Equal(1, events.Count(e => e == "project_deletion_succeeded"));
        Assert.Equal(1, events.Count(e => e == "customer_deletion_succeeded"));
    }
}
