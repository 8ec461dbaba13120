using AgentRegistry.Access;
using AgentRegistry.Tenancy;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AgentRegistry.Infrastructure;
using AgentRegistry.Tests.Infrastructure;
using AgentRegistry.Waldur;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentRegistry.Tests.Waldur;

/// <summary>
/// What happens in Waldur after an order, delivered by webhooks from the emulated Waldur: an order that cannot be
/// provisioned ends erred there; customers and projects renamed, blocked, given an end date or deleted change the
/// registry's tenant and project.
/// </summary>
public abstract class WaldurChangesTests(RegistryApp app, Marketplace market) : RegistryTest(app)
{
    private HttpClient Control => market.Waldur.CreateControlClient();
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnOrderThatCannotBeProvisionedEndsErredInWaldurWithTheReason()
    {
        var op = await Op();
        var seeded = await op.SubscribedTenantAsync();
        var offering = (string)(await op.PostAsync($"/api/v1/agents/{seeded.AgentId}/publish", null).Json200())["waldur_offering_uuid"]!;
        var plans = (await op.GetAsync($"/api/v1/agents/{seeded.AgentId}/plans").Json200()).AsArray();
        await ConfigureHooksAsync();
        var customer = await Send(HttpMethod.Post, "/emulator/customers", new { name = Seed.Unique("Initrode") });
        var project = await Send(HttpMethod.Post, "/emulator/projects", new { customer_uuid = (string)customer["uuid"]!, name = "Desk" });

        // Waldur refuses the resource's backend id for good (400, not a transient failure): the order cannot complete.
        await Send(HttpMethod.Post, "/emulator/faults", new { path_prefix = "/api/marketplace-provider-resources/", method = "POST", count = 1000, status = 400 });
        try
        {
            var order = await Send(HttpMethod.Post, "/emulator/orders", new { offering_uuid = offering, plan_uuid = (string)plans[0]!["waldur_plan_uuid"]!, project_uuid = (string)project["uuid"]!, type = "Create" });
            var uuid = (string)order["uuid"]!;
            var erred = await UntilAsync(() => Waldur($"marketplace-orders/{uuid}/"), o => (string?)o["state"] == "erred", $"order {uuid} erred");
            Assert.False(string.IsNullOrWhiteSpace((string?)erred["error_message"]), erred.ToJsonString());
            // The registry gives no working subscription for it.
            var resource = Guid.Parse((string)erred["marketplace_resource_uuid"]!);
            Assert.Equal(0, await QueryAsync(db => db.Accesses.CountAsync(a => a.WaldurResourceUuid == resource && a.State == AgentRegistry.Access.AccessState.Active, Ct)));
        }
        finally { await Control.DeleteAsync("/emulator/faults", Ct); }
    }

    [Fact]
    public async Task CustomerAndProjectChangesInWaldurReachTheTenantAndItsProject()
    {
        await ConfigureHooksAsync();
        var customer = await Send(HttpMethod.Post, "/emulator/customers", new { name = Seed.Unique("Hooli") });
        var customerUuid = Guid.Parse((string)customer["uuid"]!);
        var project = await Send(HttpMethod.Post, "/emulator/projects", new { customer_uuid = (string)customer["uuid"]!, name = "Moonshot" });
        var projectUuid = Guid.Parse((string)project["uuid"]!);
        Task<AgentRegistry.Tenancy.Tenant?> Tenant() => QueryAsync(db => db.Tenants.AsNoTracking().FirstOrDefaultAsync(t => t.WaldurCustomerUuid == customerUuid, Ct));
        Task<AgentRegistry.Tenancy.TenantProject?> Project() => QueryAsync(db => db.Projects.AsNoTracking().FirstOrDefaultAsync(p => p.WaldurProjectUuid == projectUuid, Ct));

        // Created in Waldur: the tenant and its project follow.
        await UntilAsync(Project, p => p is { Name: "Moonshot", IsRemoved: false }, "the project mirrored");
        await UntilAsync(Tenant, t => t is { IsBlocked: false }, "the tenant mirrored");

        // Renamed, then blocked; archived customers are blocked too.
        await Send(HttpMethod.Patch, $"/emulator/customers/{customerUuid:N}", new { name = "Hooli XYZ" }, 200);
        await UntilAsync(Tenant, t => t is { Name: "Hooli XYZ", IsBlocked: false }, "the tenant renamed");
        await Send(HttpMethod.Patch, $"/emulator/customers/{customerUuid:N}", new { blocked = true }, 200);
        await UntilAsync(Tenant, t => t is { IsBlocked: true }, "the tenant blocked");
        await Send(HttpMethod.Patch, $"/emulator/customers/{customerUuid:N}", new { blocked = false }, 200);
        await UntilAsync(Tenant, t => t is { IsBlocked: false }, "the tenant unblocked");
        await Send(HttpMethod.Patch, $"/emulator/customers/{customerUuid:N}", new { archived = true }, 200);
        await UntilAsync(Tenant, t => t is { IsBlocked: true }, "the archived tenant blocked");
        await Send(HttpMethod.Patch, $"/emulator/customers/{customerUuid:N}", new { archived = false }, 200);
        await UntilAsync(Tenant, t => t is { IsBlocked: false }, "the tenant unblocked again");

        // The project renamed and given an end date, then deleted.
        await Send(HttpMethod.Patch, $"/emulator/projects/{projectUuid:N}", new { name = "Moonshot II", end_date = "2027-01-31" }, 200);
        await UntilAsync(Project, p => p is { Name: "Moonshot II", IsRemoved: false } && p.EndDate == new DateOnly(2027, 1, 31), "the project changed");
        Assert.Equal(204, (int)(await Control.DeleteAsync($"/emulator/projects/{projectUuid:N}", Ct)).StatusCode);
        await UntilAsync(Project, p => p is { IsRemoved: true }, "the project marked removed");

        // The customer deleted: the tenant is kept (billing, audit) and blocked.
        Assert.Equal(204, (int)(await Control.DeleteAsync($"/emulator/customers/{customerUuid:N}", Ct)).StatusCode);
        await UntilAsync(Tenant, t => t is { IsBlocked: true, Name: "Hooli XYZ" }, "the tenant blocked after deletion");
    }

    private async Task ConfigureHooksAsync()
    {
        await using var scope = App.Services.CreateAsyncScope();
        var configurator = scope.ServiceProvider.GetRequiredService<WebhookConfigurator>();
        await configurator.ApplyAsync(await configurator.PlanAsync(App.BaseAddress, Ct), Ct);
    }

    private async Task<JsonNode> Send(HttpMethod method, string path, object body, int expect = 201)
    {
        var response = await Control.SendAsync(new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) }, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True((int)response.StatusCode == expect, $"{method} {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    private async Task<JsonNode> Waldur(string path) => JsonNode.Parse(await market.Waldur.CreateApiClient().GetStringAsync($"/api/{path}", Ct))!;

    private async Task<T> QueryAsync<T>(Func<RegistryDb, Task<T>> query)
    {
        await using var scope = App.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<Caller>().AsSystem();
        return await query(scope.ServiceProvider.GetRequiredService<RegistryDb>());
    }

    /// <summary>Asks until the answer fits, for 60 s at most (webhook delivery and the inbox run in the background).</summary>
    private static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> fits, string what)
    {
        var until = Deadline.InSeconds(60);
        while (true)
        {
            var value = await probe();
            if (fits(value)) return value;
            Assert.True(until.Open, $"Not within 60 s: {what}.");
            await Task.Delay(100, Ct);
        }
    }
}

public sealed class WaldurChangesOnSqlite(WaldurRegistry<Sqlite> app) : WaldurChangesTests(app, app.Market), IClassFixture<WaldurRegistry<Sqlite>>;

public sealed class WaldurChangesOnPostgres(WaldurRegistry<Postgres> app) : WaldurChangesTests(app, app.Market), IClassFixture<WaldurRegistry<Postgres>>;
