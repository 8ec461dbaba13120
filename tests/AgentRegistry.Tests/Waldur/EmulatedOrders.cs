using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AgentRegistry.Tests.Infrastructure;
using AgentRegistry.Waldur;
using Microsoft.Extensions.DependencyInjection;

namespace AgentRegistry.Tests.Waldur;

/// <summary>A customer in the emulated Waldur ordering a published agent, as the journeys and the metrics tests do it.</summary>
public static class EmulatedOrders
{
    public static async Task<JsonNode> ControlAsync(this Marketplace market, string path, object body, int expect = 201)
    {
        var response = await market.Waldur.CreateControlClient().PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == expect, $"{path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    public static async Task<JsonNode> WaldurAsync(this Marketplace market, string path) =>
        JsonNode.Parse(await market.Waldur.CreateApiClient().GetStringAsync($"/api/{path}"))!;

    /// <summary>A new customer and project in Waldur order the plan; returns the order.</summary>
    public static async Task<JsonNode> OrderAsync(this Marketplace market, string offering, string plan, string customerName)
    {
        var customer = await market.ControlAsync("/emulator/customers", new { name = customerName });
        var project = await market.ControlAsync("/emulator/projects", new { customer_uuid = (string)customer["uuid"]!, name = "Website" });
        return await market.ControlAsync("/emulator/orders", new { offering_uuid = offering, plan_uuid = plan, project_uuid = (string)project["uuid"]!, type = "Create" });
    }

    public static async Task<JsonNode> WaitForOrderAsync(this Marketplace market, string uuid, string state, int seconds = 60)
    {
        JsonNode? order = null;
        var deadline = Deadline.InSeconds(seconds);
        while (deadline.Open)
        {
            order = await market.WaldurAsync($"marketplace-orders/{uuid}/");
            if ((string?)order["state"] == state) return order;
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
        Assert.Fail($"Order {uuid} is {(string?)order?["state"]} after {seconds} s, not {state}.");
        return null!;
    }

    /// <summary>Creates the registry's hooks in Waldur, pointing at the test registry.</summary>
    public static async Task ConfigureHooksAsync(this RegistryApp app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var configurator = scope.ServiceProvider.GetRequiredService<WebhookConfigurator>();
        var plan = await configurator.PlanAsync(app.BaseAddress, TestContext.Current.CancellationToken);
        await configurator.ApplyAsync(plan, TestContext.Current.CancellationToken);
    }
}
