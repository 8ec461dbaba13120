extern alias emulator;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using AgentRegistry.Tests.Infrastructure;
using emulator::WaldurEmulator;
using Npgsql;

namespace AgentRegistry.Tests.Operations;

/// <summary>
/// Two registry processes on one PostgreSQL database and one Waldur: every webhook is delivered to both, twice, while
/// both also poll Waldur for orders; usage events arrive at both at once, each batch twice; both run the aggregation and
/// the usage reporting every two seconds. Each order is still acted on once, each event counted once, and each
/// month-to-date value reported to Waldur once. (PostgreSQL only: several replicas need a shared server database.)
/// </summary>
public sealed class TwoReplicasTests : IAsyncLifetime
{
    private const int Orders = 8;
    private const int EventsPerAccess = 300;
    private const string AdminEmail = "admin@replicas.test";
    private readonly string _password = $"pw-{Guid.NewGuid():N}";
    private string? _database;
    private string? _unavailable;
    private EmulatorHost _waldur = null!;
    private RegistryProcess _a = null!, _b = null!;

    public async ValueTask InitializeAsync()
    {
        string? unavailable;
        (_database, unavailable) = await PostgresServer.CreateDatabaseAsync();
        _unavailable = unavailable;
        if (unavailable is not null) return;
        _waldur = await EmulatorApp.StartAsync(o => o.WebhooksEnabled = false);
        var provider = await Control("/emulator/customers", new { name = "Agents Provider" });
        var settings = new Dictionary<string, string>
        {
            ["Database:Provider"] = "Postgres", ["Database:ConnectionString"] = PostgresServer.ConnectionString(_database!),
            ["Database:MigrateAtStartup"] = "false",
            ["Identity:BootstrapAdminEmail"] = AdminEmail, ["Identity:BootstrapAdminPassword"] = _password,
            ["Waldur:ApiUrl"] = _waldur.ApiUrl.ToString(), ["Waldur:Token"] = EmulatorOptions.DefaultToken, ["Waldur:RetryDelayMilliseconds"] = "50",
            ["Waldur:Marketplace:ProviderCustomerUuid"] = (string)provider["uuid"]!, ["Waldur:Marketplace:PublicUrl"] = "https://agents.example.com",
            ["Waldur:Marketplace:PollSeconds"] = "5", ["Waldur:Inbox:PollSeconds"] = "1", ["Waldur:Webhooks:Token"] = WebhookToken,
            ["Metering:AggregateSeconds"] = "2", ["Metering:ReportSeconds"] = "2", ["Metering:PlanCacheSeconds"] = "0",
            ["Logging:LogLevel:Default"] = "Warning", ["Logging:LogLevel:Microsoft.AspNetCore"] = "Error",
        };
        var (exit, output) = await RegistryProcess.RunAsync(settings, "migrate");
        Assert.True(exit == 0, output);
        var replicas = await Task.WhenAll(RegistryProcess.StartAsync(settings), RegistryProcess.StartAsync(settings));
        (_a, _b) = (replicas[0], replicas[1]);
    }

    [Fact]
    public async Task EachWebhookOrderAggregationAndUsageReportIsProcessedOnceAcrossReplicas()
    {
        if (_unavailable is not null) Requirement.Missing(_unavailable);
        var op = await RegistryApp.SignInAsync(_a.BaseAddress, AdminEmail, _password);
        var seeded = await op.SubscribedTenantAsync();
        var offering = (string)(await op.PostAsync($"/api/v1/agents/{seeded.AgentId}/publish", null).Json200())["waldur_offering_uuid"]!;
        var plan = (string)(await op.GetAsync($"/api/v1/agents/{seeded.AgentId}/plans").Json200()).AsArray()[0]!["waldur_plan_uuid"]!;

        // Orders in Waldur; each one's webhook delivered to both replicas, twice, all at once, while both poll too.
        var orders = new List<string>();
        for (var i = 0; i < Orders; i++)
        {
            var customer = await Control("/emulator/customers", new { name = $"Customer {i}" });
            var project = await Control("/emulator/projects", new { customer_uuid = (string)customer["uuid"]!, name = "Site" });
            orders.Add((string)(await Control("/emulator/orders", new { offering_uuid = offering, plan_uuid = plan, project_uuid = (string)project["uuid"]!, type = "Create" }))["uuid"]!);
        }
        var events = JsonNode.Parse(await _waldur.CreateApiClient().GetStringAsync("/api/events/?event_type=marketplace_order_created&page_size=100"))!.AsArray();
        Assert.Equal(Orders, events.Count);
        var deliveries = events.SelectMany(e => new[] { _a, _b, _a, _b }.Select(replica => Deliver(replica, e!)));
        Assert.All(await Task.WhenAll(deliveries), status => Assert.Equal(202, status));

        var resources = new List<string>();
        foreach (var order in orders) resources.Add((string)(await WaitForAsync(() => Order(order), o => (string?)o["state"] == "done", "order done"))["marketplace_resource_uuid"]!);
        var accesses = (await op.GetAsync("/api/v1/accesses?page_size=200").Json200()).Items()
            .Where(a => (string?)a!["waldur_resource_uuid"] is { } u && resources.Contains(Guid.Parse(u).ToString("N"))).ToList();
        Assert.Equal(Orders, accesses.Count);
        Assert.Equal(Orders, accesses.Select(a => (string?)a!["waldur_resource_uuid"]).Distinct().Count());
        // Four deliveries of each event were stored once; each stored event finished (acted on, or found already done).
        Assert.Equal(Orders, await Scalar("SELECT count(*) FROM \"WebhookEvents\" WHERE \"EventType\" = 'marketplace_order_created'"));
        await WaitForAsync(() => Scalar("SELECT count(*) FROM \"WebhookEvents\" WHERE \"Status\" IN ('Pending', 'Failed')"), n => n == 0, "every webhook event finished");
        Assert.Equal(Orders, await Scalar("SELECT count(*) FROM \"ApiKeys\" k JOIN \"Accesses\" a ON a.\"Id\" = k.\"AccessId\" WHERE a.\"WaldurResourceUuid\" IS NOT NULL"));

        // Usage: every batch to both replicas at once.
        var ingest = new List<Task<int>>();
        foreach (var access in accesses)
        {
            var key = await op.IssueKeyAsync(access!.Id(), "usage:write");
            for (var batch = 0; batch < EventsPerAccess / 100; batch++)
            {
                var body = new { events = Enumerable.Range(batch * 100, 100).Select(n => new { id = $"e{n}", metric = "messages", quantity = 1, occurred_at = DateTime.UtcNow }) };
                ingest.Add(Ingest(_a, key, body));
                ingest.Add(Ingest(_b, key, body));
            }
        }
        var accepted = await Task.WhenAll(ingest);
        Assert.Equal(Orders * EventsPerAccess, accepted.Sum());

        // Aggregated once (the daily summaries equal the raw records) and reported once (Waldur holds the sum; one send per value).
        foreach (var access in accesses)
        {
            var id = access!.Id();
            await WaitForAsync(async () => await op.GetAsync($"/api/v1/accesses/{id}/usage").Json200(),
                u => (long?)u["totals"]?["messages"] == EventsPerAccess, $"usage of {id} aggregated");
            var resource = Guid.Parse((string)access!["waldur_resource_uuid"]!).ToString("N");
            await WaitForAsync(() => Usage(resource), u => u == EventsPerAccess, $"usage of {resource} in Waldur");
        }
        Assert.Equal(Orders * EventsPerAccess, await Scalar("SELECT coalesce(sum(\"Quantity\"), 0) FROM \"UsageRecords\" WHERE \"Metric\" = 'messages'"));
        // The usage API reads raw records for days not yet summarized, so the summaries may still be a run behind: wait for
        // the aggregation (every 2 s on one replica at a time) to catch up, and never to pass the records (counted twice).
        await WaitForAsync(() => Scalar("SELECT coalesce(sum(\"Quantity\"), 0) FROM \"DailyUsageSummaries\" WHERE \"Metric\" = 'messages'"),
            n => n >= Orders * EventsPerAccess, "the daily summaries caught up");
        Assert.Equal(Orders * EventsPerAccess, await Scalar("SELECT coalesce(sum(\"Quantity\"), 0) FROM \"DailyUsageSummaries\" WHERE \"Metric\" = 'messages'"));
        Assert.Equal(0, await Scalar("""
            SELECT count(*) FROM (SELECT 1 FROM "UsageReports" WHERE "Outcome" = 'Accepted' AND "StatusCode" IS NOT NULL
            GROUP BY "AccessId", "ComponentType", "Period", "Amount" HAVING count(*) > 1) AS sent_twice
            """));
    }

    private async Task<JsonNode> Control(string path, object body)
    {
        var response = await _waldur.CreateControlClient().PostAsJsonAsync(path, body);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    private async Task<JsonNode> Order(string uuid) =>
        JsonNode.Parse(await _waldur.CreateApiClient().GetStringAsync($"/api/marketplace-orders/{uuid}/"))!;

    private async Task<decimal> Usage(string resource)
    {
        var usages = JsonNode.Parse(await _waldur.CreateApiClient().GetStringAsync($"/api/marketplace-component-usages/?resource_uuid={resource}"))!.AsArray();
        return usages.Where(u => (string?)u!["type"] == "messages").Sum(u => decimal.Parse(u!["usage"]!.ToString(), System.Globalization.CultureInfo.InvariantCulture));
    }

    private const string WebhookToken = "two-replicas-webhook-token";

    private static async Task<int> Deliver(RegistryProcess replica, JsonNode e)
    {
        var body = new JsonObject { ["created"] = e["created"]!.DeepClone(), ["message"] = e["message"]!.DeepClone(), ["context"] = e["context"]!.DeepClone(), ["event_type"] = e["event_type"]!.DeepClone() };
        using var http = new HttpClient { BaseAddress = replica.BaseAddress };
        http.DefaultRequestHeaders.Add("X-Webhook-Token", WebhookToken);
        return (int)(await http.PostAsync("/webhooks/waldur/order/", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"))).StatusCode;
    }

    private static async Task<int> Ingest(RegistryProcess replica, string key, object body)
    {
        using var http = new HttpClient { BaseAddress = replica.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new("Bearer", key);
        return (int)(await http.PostJson("/api/v1/usage/events", body).Json200())["accepted"]!;
    }

    private async Task<long> Scalar(string sql)
    {
        await using var connection = new NpgsqlConnection(PostgresServer.ConnectionString(_database!));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    private async Task<T> WaitForAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what)
    {
        var deadline = Deadline.InSeconds(180);
        while (true)
        {
            var value = await probe();
            if (done(value)) return value;
            Assert.True(deadline.Open, $"Not within 180 s: {what} (last: {value}).\nReplica A:\n{_a.Log}\nReplica B:\n{_b.Log}");
            await Task.Delay(250, TestContext.Current.CancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_a is not null) await _a.DisposeAsync();
        if (_b is not null) await _b.DisposeAsync();
        if (_waldur is not null) await _waldur.DisposeAsync();
        if (_database is not null) await PostgresServer.DropDatabaseAsync(_database);
    }
}
