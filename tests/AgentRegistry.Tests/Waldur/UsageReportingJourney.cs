using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AgentRegistry.Access;
using AgentRegistry.Infrastructure;
using AgentRegistry.Metering;
using AgentRegistry.Tests.Infrastructure;
using AgentRegistry.Waldur;
using AgentRegistry.Waldur.Client;
using AgentRegistry.Waldur.Reporting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentRegistry.Tests.Waldur;

/// <summary>An agent ordered in the emulated Waldur: its access, resource and a revealed chat key.</summary>
public sealed record Subscription(Guid AccessId, Guid ResourceUuid, string OfferingUuid, string ProjectUuid, HttpClient Key);

/// <summary>An agent ordered in the emulated Waldur, as the customer finds it: the resource's portal link, their organisation.</summary>
public sealed record WaldurOrderResult(Guid AccessId, Guid ResourceUuid, string OfferingUuid, string ProjectUuid, Guid CustomerUuid, string PortalUrl);

/// <summary>Registry fixtures for usage reporting: no background pass (tests run them), the previous month always within grace.</summary>
public static class ReportingSettings
{
    public static void Apply(IDictionary<string, string?> settings)
    {
        settings["Metering:ReportSeconds"] = "0";
        settings["Metering:ReportGraceDays"] = "31";
        settings["Metering:ReportRetrySeconds"] = "600";
    }
}

public sealed class ReportingRegistry<TDatabase> : WaldurRegistry<TDatabase> where TDatabase : TestDatabase, new()
{
    protected override void Configure(IDictionary<string, string?> settings) { base.Configure(settings); ReportingSettings.Apply(settings); }
}

/// <summary>The customer journey up to a working key, and what the reporting tests read and run.</summary>
public sealed class UsageReportingJourney(RegistryApp app, Marketplace market)
{
    private HttpClient Control => market.Waldur.CreateControlClient();
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public WaldurClient Waldur => app.Services.GetRequiredService<WaldurClient>();

    /// <summary>Publishes an agent billed per message, per 1000 input tokens and per 1000 output tokens, and orders it in Waldur.</summary>
    public async Task<Subscription> SubscribeAsync(HttpClient op)
    {
        var order = await OrderAsync(op, Seed.Unique("Globex"));
        var keys = (await op.GetAsync($"/api/v1/accesses/{order.AccessId}/api-keys").Json200()).AsArray();
        var revealed = await op.PostAsync($"/api/v1/accesses/{order.AccessId}/api-keys/{keys[0]!.Id()}/reveal", null).Json200();
        return new Subscription(order.AccessId, order.ResourceUuid, order.OfferingUuid, order.ProjectUuid, app.WithKey((string)revealed["key"]!));
    }

    /// <summary>The same, up to the provisioned access; its first key is left for the customer to reveal.</summary>
    public async Task<WaldurOrderResult> OrderAsync(HttpClient op, string customerName)
    {
        var category = await op.PostJson("/api/v1/categories", new { name = "Support", slug = Seed.Unique("support") }).Created();
        var agent = await op.PostJson("/api/v1/agents", new
        {
            category_id = category.Id(), name = "Metered helpdesk", slug = Seed.Unique("metered"), description = "Answers and is billed",
            default_persona = "You are a helpful support agent.",
        }).Created();
        await op.PostJson($"/api/v1/agents/{agent.Id()}/plans", new
        {
            name = "Pay as you go", unit = "month", unit_price = 5m,
            components = new object[]
            {
                new { type = "messages", name = "Messages", measured_unit = "messages", billing_type = "usage", price = 0.01m },
                new { type = "input_tokens", name = "Input tokens", measured_unit = "k tokens", billing_type = "usage", unit_size = 1000, price = 0.001m },
                new { type = "output_tokens", name = "Output tokens", measured_unit = "k tokens", billing_type = "usage", unit_size = 1000, price = 0.002m },
            },
        }).Created();
        var published = await op.PostAsync($"/api/v1/agents/{agent.Id()}/publish", null).Json200();
        var offering = (string)published["waldur_offering_uuid"]!;
        var plans = (await op.GetAsync($"/api/v1/agents/{agent.Id()}/plans").Json200()).AsArray();
        await ConfigureHooksAsync();

        var customer = await PostAsync("/emulator/customers", new { name = customerName });
        var project = await PostAsync("/emulator/projects", new { customer_uuid = (string)customer["uuid"]!, name = "Support site" });
        var order = await PostAsync("/emulator/orders", new { offering_uuid = offering, plan_uuid = (string)plans[0]!["waldur_plan_uuid"]!, project_uuid = (string)project["uuid"]!, type = "Create" });
        var done = await WaitForOrderAsync((string)order["uuid"]!, "done");
        var resource = Guid.Parse((string)done["marketplace_resource_uuid"]!);

        Guid accessId = default;
        for (var until = Deadline.InSeconds(60); accessId == default && until.Open;)
        {
            accessId = await QueryAsync(db => db.Accesses.Where(a => a.WaldurResourceUuid == resource && a.State == AccessState.Active).Select(a => a.Id).FirstOrDefaultAsync(Ct));
            if (accessId == default) await Task.Delay(100, Ct);
        }
        Assert.NotEqual(default, accessId);
        var metadata = JsonNode.Parse(await market.Waldur.CreateApiClient().GetStringAsync($"/api/marketplace-provider-resources/{resource:N}/", Ct))!["backend_metadata"]!;
        return new WaldurOrderResult(accessId, resource, offering, (string)project["uuid"]!, Guid.Parse((string)customer["uuid"]!), (string)metadata["portal_url"]!);
    }

    public async Task ChatAsync(Subscription s, int times)
    {
        for (var i = 0; i < times; i++) await s.Key.PostJson("/api/v1/chat", new { message = $"When is the hotline open, question {i}?" }).Json200();
    }

    public async Task TerminateAsync(Subscription s)
    {
        var order = await PostAsync("/emulator/orders", new { offering_uuid = s.OfferingUuid, project_uuid = s.ProjectUuid, type = "Terminate", resource_uuid = s.ResourceUuid.ToString("N") });
        await WaitForOrderAsync((string)order["uuid"]!, "done");
    }

    public async Task<UsageReportResult> PassAsync()
    {
        await using var scope = app.Services.GetRequiredService<IServiceScopeFactory>().CreateSystemScope("test");
        return await scope.ServiceProvider.GetRequiredService<UsageReporter>().RunAsync(Ct);
    }

    /// <summary>What the registry should have reported: the billed amount of the month's raw total, per component.</summary>
    public async Task<Dictionary<string, decimal>> ExpectedAsync(Guid accessId, DateOnly period)
    {
        var from = period.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var raw = await QueryAsync(db => db.UsageRecords.Where(u => u.AccessId == accessId && u.OccurredAt >= from && u.OccurredAt < from.AddMonths(1))
            .GroupBy(u => u.Metric).Select(g => new { g.Key, Sum = g.Sum(u => u.Quantity) }).ToDictionaryAsync(g => g.Key, g => g.Sum, Ct));
        return new Dictionary<string, decimal>
        {
            ["messages"] = BilledUsage.Amount(raw.GetValueOrDefault("messages"), 1),
            ["input_tokens"] = BilledUsage.Amount(raw.GetValueOrDefault("input_tokens"), 1000),
            ["output_tokens"] = BilledUsage.Amount(raw.GetValueOrDefault("output_tokens"), 1000),
        };
    }

    /// <summary>What Waldur holds for the resource in the billing period, per component.</summary>
    public async Task<Dictionary<string, decimal>> HeldAsync(Guid resource, DateOnly period) =>
        (await Waldur.ListComponentUsagesAsync(resource, period, Ct)).ToDictionary(u => u.Type, u => u.Usage);

    public Task<List<WaldurUsageReport>> ReportsAsync(Guid accessId) =>
        QueryAsync(db => db.UsageReports.Where(r => r.AccessId == accessId).OrderBy(r => r.Id).ToListAsync(Ct));

    public async Task<T> QueryAsync<T>(Func<RegistryDb, Task<T>> query)
    {
        await using var scope = app.Services.GetRequiredService<IServiceScopeFactory>().CreateSystemScope("test");
        return await query(scope.ServiceProvider.GetRequiredService<RegistryDb>());
    }

    public async Task AddUsageAsync(Guid accessId, string metric, long quantity, DateTime occurredAt)
    {
        await using var scope = app.Services.GetRequiredService<IServiceScopeFactory>().CreateSystemScope("test");
        var db = scope.ServiceProvider.GetRequiredService<RegistryDb>();
        var access = await db.Accesses.SingleAsync(a => a.Id == accessId, Ct);
        db.UsageRecords.Add(new UsageRecord
        {
            TenantId = access.TenantId, AccessId = accessId, AgentId = access.AgentId, Metric = metric, Quantity = quantity,
            OccurredAt = occurredAt, IdempotencyKey = Seed.Unique("test"),
        });
        await db.SaveChangesAsync(Ct);
    }

    public async Task FaultAsync(string pathPrefix, int count, int status) =>
        await PostAsync("/emulator/faults", new { path_prefix = pathPrefix, count, status });

    public Task ClearFaultsAsync() => Control.DeleteAsync("/emulator/faults", Ct);

    private async Task ConfigureHooksAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var configurator = scope.ServiceProvider.GetRequiredService<WebhookConfigurator>();
        await configurator.ApplyAsync(await configurator.PlanAsync(app.BaseAddress, Ct), Ct);
    }

    private async Task<JsonNode> PostAsync(string path, object body)
    {
        var response = await Control.PostAsJsonAsync(path, body, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True((int)response.StatusCode == 201, $"{path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    private async Task<JsonNode> WaitForOrderAsync(string uuid, string state)
    {
        JsonNode? order = null;
        for (var until = Deadline.InSeconds(60); until.Open;)
        {
            order = JsonNode.Parse(await market.Waldur.CreateApiClient().GetStringAsync($"/api/marketplace-orders/{uuid}/", Ct))!;
            if ((string?)order["state"] == state) return order;
            await Task.Delay(200, Ct);
        }
        Assert.Fail($"Order {uuid} is {(string?)order?["state"]} after 60 s, not {state}.");
        return null!;
    }
}
