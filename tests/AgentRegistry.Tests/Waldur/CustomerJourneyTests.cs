extern alias emulator;
using AgentRegistry.Access;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AgentRegistry.Infrastructure;
using AgentRegistry.Tests.Infrastructure;
using AgentRegistry.Waldur;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentRegistry.Tests.Waldur;

/// <summary>
/// The provider and customer journeys end to end: the registry and the Waldur emulator as real HTTP servers.
/// Publish an agent, order it in Waldur, get a working key within seconds; terminate, and the key stops.
/// </summary>
public abstract class CustomerJourneyTests(RegistryApp app, Marketplace market) : RegistryTest(app)
{
    private HttpClient Control => market.Waldur.CreateControlClient();

    [Fact]
    public async Task OrderedAgentBecomesAWorkingSubscriptionAndTerminationStopsIt()
    {
        var op = await Op();
        var seeded = await op.SubscribedTenantAsync();
        var published = await op.PostAsync($"/api/v1/agents/{seeded.AgentId}/publish", null).Json200();
        var offering = (string)published["waldur_offering_uuid"]!;
        Assert.Equal("Active", (string?)published["waldur_offering_state"]);
        var plans = (await op.GetAsync($"/api/v1/agents/{seeded.AgentId}/plans").Json200()).AsArray();
        var planUuid = (string)plans[0]!["waldur_plan_uuid"]!;
        var otherPlanUuid = (string)plans[1]!["waldur_plan_uuid"]!;
        await ConfigureHooksAsync();

        // A customer in Waldur orders the agent.
        var customer = await Post("/emulator/customers", new { name = "Globex Corporation" });
        var project = await Post("/emulator/projects", new { customer_uuid = (string)customer["uuid"]!, name = "Support site" });
        var order = await Post("/emulator/orders", new { offering_uuid = offering, plan_uuid = planUuid, project_uuid = (string)project["uuid"]!, type = "Create" });
        var done = await WaitForOrderAsync((string)order["uuid"]!, "done");
        var resourceUuid = (string)done["marketplace_resource_uuid"]!;

        var resource = await Waldur($"marketplace-provider-resources/{resourceUuid}/");
        var access = await Eventually(async () =>
        {
            var list = await op.GetAsync("/api/v1/accesses?page_size=200").Json200();
            return list.Items().FirstOrDefault(a => (string?)a!["waldur_resource_uuid"] is { } u && Guid.Parse(u) == Guid.Parse(resourceUuid));
        });
        Assert.Equal("active", (string?)access!["state"]);
        Assert.Equal(Guid.Parse(access.Id()).ToString("N"), (string?)resource["backend_id"]);
        Assert.Equal(access.Id(), (string?)resource["backend_metadata"]!["access_id"]);
        Assert.StartsWith("https://agents.example.com/portal/accesses/", (string?)resource["backend_metadata"]!["portal_url"]);
        var tenant = await op.GetAsync($"/api/v1/tenants/{access["tenant_id"]}").Json200();
        Assert.Equal("Globex Corporation", (string?)tenant["name"]);

        // The first key: revealed once, then it works.
        var keys = (await op.GetAsync($"/api/v1/accesses/{access.Id()}/api-keys").Json200()).AsArray();
        var first = Assert.Single(keys)!;
        Assert.True((bool)first["can_reveal"]!);
        var revealed = await op.PostAsync($"/api/v1/accesses/{access.Id()}/api-keys/{first.Id()}/reveal", null).Json200();
        await op.PostAsync($"/api/v1/accesses/{access.Id()}/api-keys/{first.Id()}/reveal", null).Problem(409, "api-key-already-revealed");
        var key = App.WithKey((string)revealed["key"]!);
        await key.GetAsync("/v1/models").Json200();

        // Changing plan in Waldur changes it here.
        var update = await Post("/emulator/orders", new { offering_uuid = offering, plan_uuid = otherPlanUuid, project_uuid = (string)project["uuid"]!, type = "Update", resource_uuid = resourceUuid });
        await WaitForOrderAsync((string)update["uuid"]!, "done");
        Assert.Equal("Pro", (string?)(await op.GetAsync($"/api/v1/accesses/{access.Id()}").Json200())["plan_name"]);

        // Terminating in Waldur revokes the key.
        var terminate = await Post("/emulator/orders", new { offering_uuid = offering, project_uuid = (string)project["uuid"]!, type = "Terminate", resource_uuid = resourceUuid });
        await WaitForOrderAsync((string)terminate["uuid"]!, "done");
        Assert.Equal("terminated", (string?)(await op.GetAsync($"/api/v1/accesses/{access.Id()}").Json200())["state"]);
        await key.GetAsync("/v1/models").Problem(401, "api-key-revoked");

        // However the events arrived, each order was acted on once.
        Assert.Equal(1, await CountAsync(db => db.Accesses.CountAsync(a => a.WaldurResourceUuid == Guid.Parse(resourceUuid))));
        Assert.Equal(1, await CountAsync(db => db.ApiKeys.CountAsync(k => k.AccessId == Guid.Parse(access.Id()))));
    }

    [Fact]
    public async Task PublishingAgainUpdatesTheSameOffering()
    {
        var op = await Op();
        var seeded = await op.SubscribedTenantAsync();
        var first = await op.PostAsync($"/api/v1/agents/{seeded.AgentId}/publish", null).Json200();
        var before = await OfferingCountAsync();
        await op.PostJson($"/api/v1/agents/{seeded.AgentId}/plans", Seed.Plan("Enterprise", 500m, 100000)).Created();
        var second = await op.PostAsync($"/api/v1/agents/{seeded.AgentId}/publish", null).Json200();
        Assert.Equal((string?)first["waldur_offering_uuid"], (string?)second["waldur_offering_uuid"]);

        var offering = await Waldur($"marketplace-provider-offerings/{(string)first["waldur_offering_uuid"]!}/");
        Assert.Equal(3, offering["plans"]!.AsArray().Count);
        Assert.Equal(["messages", "plan_fee", "tokens"], offering["components"]!.AsArray().Select(c => (string?)c!["type"]).Order());
        Assert.Equal(["fixed:month", "usage:1,000 output tokens", "usage:messages"],
            offering["components"]!.AsArray().Select(c => $"{c!["billing_type"]}:{c["measured_unit"]}").Order());
        // Waldur bills a plan through its components: the fee is a fixed component priced at the plan's fee with a quota of 1.
        var plans = offering["plans"]!.AsArray().ToDictionary(p => (string)p!["name"]!);
        foreach (var (name, fee) in new[] { ("Starter", 10m), ("Pro", 50m), ("Enterprise", 500m) })
        {
            Assert.Equal(fee, (decimal)plans[name]!["prices"]!["plan_fee"]!);
            Assert.Equal(1m, (decimal)plans[name]!["quotas"]!["plan_fee"]!);
            Assert.Equal(0.01m, (decimal)plans[name]!["prices"]!["messages"]!);
        }
        Assert.Equal(before, await OfferingCountAsync());
    }

    private async Task<int> OfferingCountAsync()
    {
        var response = await market.Waldur.CreateApiClient().GetAsync("/api/marketplace-provider-offerings/?page_size=1");
        return int.Parse(response.Headers.GetValues("X-Result-Count").Single());
    }

    [Fact]
    public async Task OperatorPublishesFromTheAdminInterface()
    {
        var op = await Op();
        var seeded = await op.SubscribedTenantAsync();
        var page = $"/admin/agents/details/{seeded.AgentId}";
        var token = RegistryApp.AntiforgeryToken().Match(await op.GetStringAsync(page)).Groups[1].Value;
        var response = await op.PostAsync($"{page}?handler=Publish", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, html);
        Assert.Contains("Published as Waldur offering", html);
        Assert.NotNull((await op.GetAsync($"/api/v1/agents/{seeded.AgentId}").Json200())["waldur_offering_uuid"]);
    }

    [Fact]
    public async Task WaldurDownDegradesHealthButKeepsTheInstanceReady()
    {
        await Post("/emulator/faults", new { path_prefix = "/api/users/me/", count = 20, status = 503 });
        try
        {
            var ready = await App.Anonymous().GetAsync("/health/ready").Json200();
            Assert.Equal("Degraded", (string?)ready["status"]);
            Assert.Equal("Degraded", (string?)ready["checks"]!["waldur"]!["status"]);
            Assert.Equal("Healthy", (string?)ready["checks"]!["database"]!["status"]);
        }
        finally { await Control.DeleteAsync("/emulator/faults"); }
    }

    [Fact]
    public async Task OrderForAPlanThatIsNotOfferedIsRejected()
    {
        var op = await Op();
        var seeded = await op.SubscribedTenantAsync();
        var offering = (string)(await op.PostAsync($"/api/v1/agents/{seeded.AgentId}/publish", null).Json200())["waldur_offering_uuid"]!;
        var plans = (await op.GetAsync($"/api/v1/agents/{seeded.AgentId}/plans").Json200()).AsArray();
        var plan = plans[0]!;
        await op.PutJson($"/api/v1/agents/{seeded.AgentId}/plans/{plan.Id()}", new { name = (string)plan["name"]!, unit_price = 10m, is_active = false }).Json200();
        await ConfigureHooksAsync();

        var customer = await Post("/emulator/customers", new { name = "Initech" });
        var project = await Post("/emulator/projects", new { customer_uuid = (string)customer["uuid"]!, name = "Ops" });
        var order = await Post("/emulator/orders", new { offering_uuid = offering, plan_uuid = (string)plan["waldur_plan_uuid"]!, project_uuid = (string)project["uuid"]!, type = "Create" });
        await WaitForOrderAsync((string)order["uuid"]!, "rejected");
    }

    [Fact]
    public async Task WaldurFailingMidProvisioningEndsTheSameAsWithoutTheFault()
    {
        var op = await Op();
        var seeded = await op.SubscribedTenantAsync();
        var offering = (string)(await op.PostAsync($"/api/v1/agents/{seeded.AgentId}/publish", null).Json200())["waldur_offering_uuid"]!;
        var plans = (await op.GetAsync($"/api/v1/agents/{seeded.AgentId}/plans").Json200()).AsArray();
        await ConfigureHooksAsync();
        var customer = await Post("/emulator/customers", new { name = "Umbrella" });
        var project = await Post("/emulator/projects", new { customer_uuid = (string)customer["uuid"]!, name = "Labs" });

        // Setting the resource's metadata fails more often than the client retries: the order waits, then completes.
        await Post("/emulator/faults", new { path_prefix = "/api/marketplace-provider-resources/", method = "POST", count = 4, status = 500 }, expect: 201);
        JsonNode done;
        try
        {
            var order = await Post("/emulator/orders", new { offering_uuid = offering, plan_uuid = (string)plans[0]!["waldur_plan_uuid"]!, project_uuid = (string)project["uuid"]!, type = "Create" });
            done = await WaitForOrderAsync((string)order["uuid"]!, "done");
        }
        finally { await Control.DeleteAsync("/emulator/faults"); }
        var resource = await Waldur($"marketplace-provider-resources/{(string)done["marketplace_resource_uuid"]!}/");
        Assert.False(string.IsNullOrEmpty((string?)resource["backend_id"]));
        Assert.Equal(1, await CountAsync(db => db.Accesses.CountAsync(a => a.WaldurResourceUuid == Guid.Parse((string)done["marketplace_resource_uuid"]!) && a.State == AgentRegistry.Access.AccessState.Active)));
    }

    private async Task ConfigureHooksAsync()
    {
        await using var scope = App.Services.CreateAsyncScope();
        var configurator = scope.ServiceProvider.GetRequiredService<WebhookConfigurator>();
        var plan = await configurator.PlanAsync(App.BaseAddress, TestContext.Current.CancellationToken);
        await configurator.ApplyAsync(plan, TestContext.Current.CancellationToken);
        var again = await configurator.PlanAsync(App.BaseAddress, TestContext.Current.CancellationToken);
        Assert.All(again, c => Assert.Equal(HookChange.Keep, c.Action));
    }

    private async Task<JsonNode> Post(string path, object body, int expect = 201)
    {
        var response = await Control.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == expect, $"{path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    private async Task<JsonNode> Waldur(string path) =>
        JsonNode.Parse(await market.Waldur.CreateApiClient().GetStringAsync($"/api/{path}"))!;

    private async Task<JsonNode> WaitForOrderAsync(string uuid, string state, int seconds = 60)
    {
        JsonNode? order = null;
        var deadline = Deadline.InSeconds(seconds);
        while (deadline.Open)
        {
            order = await Waldur($"marketplace-orders/{uuid}/");
            if ((string?)order["state"] == state) return order;
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
        Assert.Fail($"Order {uuid} is {(string?)order?["state"]} after {seconds} s, not {state}.");
        return null!;
    }

    private static async Task<T> Eventually<T>(Func<Task<T?>> probe)
    {
        var until = Deadline.InSeconds(60);
        while (until.Open)
        {
            if (await probe() is { } found) return found;
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
        throw new TimeoutException("Nothing appeared in 60 s.");
    }

    private async Task<int> CountAsync(Func<RegistryDb, Task<int>> query)
    {
        await using var scope = App.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<Caller>().AsSystem();
        return await query(scope.ServiceProvider.GetRequiredService<RegistryDb>());
    }
}

public sealed class CustomerJourneyOnSqlite(WaldurRegistry<Sqlite> app) : CustomerJourneyTests(app, app.Market), IClassFixture<WaldurRegistry<Sqlite>>;
public sealed class CustomerJourneyOnPostgres(WaldurRegistry<Postgres> app) : CustomerJourneyTests(app, app.Market), IClassFixture<WaldurRegistry<Postgres>>;
public sealed class CustomerJourneyWebhooksTwiceOnSqlite(WaldurTwiceRegistry<Sqlite> app) : CustomerJourneyTests(app, app.Market), IClassFixture<WaldurTwiceRegistry<Sqlite>>;
public sealed class CustomerJourneyWebhooksTwiceOnPostgres(WaldurTwiceRegistry<Postgres> app) : CustomerJourneyTests(app, app.Market), IClassFixture<WaldurTwiceRegistry<Postgres>>;
public sealed class CustomerJourneyPollOnlyOnSqlite(WaldurPollOnlyRegistry<Sqlite> app) : CustomerJourneyTests(app, app.Market), IClassFixture<WaldurPollOnlyRegistry<Sqlite>>;
public sealed class CustomerJourneyPollOnlyOnPostgres(WaldurPollOnlyRegistry<Postgres> app) : CustomerJourneyTests(app, app.Market), IClassFixture<WaldurPollOnlyRegistry<Postgres>>;

/// <summary>Webhook events outlive the process that received them.</summary>
public abstract class InboxRecoveryTests(RegistryApp app, Marketplace market) : RegistryTest(app)
{
    [Fact]
    public async Task EventLeftByACrashedReplicaIsProcessedWhenItsClaimExpires()
    {
        var created = await market.Waldur.CreateControlClient().PostAsJsonAsync("/emulator/customers", new { name = "Crash Test Dummies" });
        var customer = (string)JsonNode.Parse(await created.Content.ReadAsStringAsync())!["uuid"]!;
        await using (var scope = App.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<Caller>().AsSystem();
            var db = scope.ServiceProvider.GetRequiredService<RegistryDb>();
            // As a replica leaves it when it dies after claiming: pending, attempted once, claim expired.
            db.WebhookEvents.Add(new AgentRegistry.Waldur.WebhookEvent
            {
                Endpoint = "customer", EventType = "customer_creation_succeeded", DedupeKey = Guid.NewGuid().ToString("N"), Attempts = 1,
                LockedUntil = App.Clock.UtcNow.AddMinutes(-1),
                Payload = $$$"""{"created": "{{{App.Clock.UtcNow:O}}}", "message": "", "event_type": "customer_creation_succeeded", "context": {"customer_uuid": "{{{customer}}}", "customer_name": "Crash Test Dummies"}}""",
            });
            await db.SaveChangesAsync();
        }
        App.Services.GetRequiredService<WebhookInbox>().Wake();

        var op = await Op();
        for (var i = 0; i < 100; i++)
        {
            var tenants = await op.GetAsync("/api/v1/tenants?search=Crash").Json200();
            if (tenants.Items().Count == 1)
            {
                Assert.Equal(Guid.Parse(customer), Guid.Parse((string)tenants.Items()[0]!["waldur_customer_uuid"]!));
                return;
            }
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
        Assert.Fail("The stranded event was not processed.");
    }
}

public sealed class InboxRecoveryOnSqlite(WaldurRegistry<Sqlite> app) : InboxRecoveryTests(app, app.Market), IClassFixture<WaldurRegistry<Sqlite>>;
public sealed class InboxRecoveryOnPostgres(WaldurRegistry<Postgres> app) : InboxRecoveryTests(app, app.Market), IClassFixture<WaldurRegistry<Postgres>>;
