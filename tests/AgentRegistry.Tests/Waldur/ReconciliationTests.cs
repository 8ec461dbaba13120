extern alias emulator;
using AgentRegistry.Access;
using AgentRegistry.Waldur;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AgentRegistry.Cli;
using AgentRegistry.Infrastructure;
using AgentRegistry.Metering;
using AgentRegistry.Tests.Infrastructure;
using AgentRegistry.Waldur.Client;
using AgentRegistry.Waldur.Provisioning;
using AgentRegistry.Waldur.Reporting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentRegistry.Tests.Waldur;

/// <summary>The registry and the emulated Waldur with the background aggregation off, so summaries lag only when a test says so.</summary>
public sealed class ReconciliationRegistry<TDatabase> : WaldurRegistry<TDatabase> where TDatabase : TestDatabase, new()
{
    protected override void Configure(IDictionary<string, string?> settings) { base.Configure(settings); settings["Metering:AggregateSeconds"] = "0"; settings["Metering:ReportSeconds"] = "0"; }
}

/// <summary>An access ordered in the emulated Waldur (so it has a Waldur resource), and ways to give it usage.</summary>
public abstract class ReconciliationTestBase(RegistryApp app, Marketplace market) : RegistryTest(app)
{
    protected sealed record Ordered(Guid AccessId, Guid TenantId, Guid AgentId, Guid ResourceUuid);

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;
    /// <summary>The month by the registry's clock (its usage, aggregation and reports are dated by it), not the machine's.</summary>
    protected DateOnly ThisMonth => BillingMonths.Of(DateOnly.FromDateTime(App.Clock.UtcNow));
    protected HttpClient Control => market.Waldur.CreateControlClient();

    /// <summary>Publishes an agent, orders it in Waldur and acts on the order now (instead of waiting for the poll).</summary>
    protected async Task<Ordered> OrderedAccessAsync()
    {
        var op = await Op();
        var seeded = await op.SubscribedTenantAsync();
        var offering = (string)(await op.PostAsync($"/api/v1/agents/{seeded.AgentId}/publish", null).Json200())["waldur_offering_uuid"]!;
        var plans = (await op.GetAsync($"/api/v1/agents/{seeded.AgentId}/plans").Json200()).AsArray();
        var customer = await Post("/emulator/customers", new { name = Seed.Unique("Globex") });
        var project = await Post("/emulator/projects", new { customer_uuid = (string)customer["uuid"]!, name = "Support site" });
        var order = await Post("/emulator/orders", new
        {
            offering_uuid = offering, plan_uuid = (string)plans[0]!["waldur_plan_uuid"]!, project_uuid = (string)project["uuid"]!, type = "Create",
        });
        var resource = Guid.Parse((string)order["marketplace_resource_uuid"]!);
        for (var i = 0; i < 50; i++)
        {
            await App.Services.GetRequiredService<OrderPoll>().SyncAsync(Ct);
            await using var scope = App.Services.GetRequiredService<IServiceScopeFactory>().CreateSystemScope("test");
            var access = await scope.ServiceProvider.GetRequiredService<RegistryDb>().Accesses.AsNoTracking()
                .FirstOrDefaultAsync(a => a.WaldurResourceUuid == resource && a.State == AgentRegistry.Access.AccessState.Active, Ct);
            var state = (string?)JsonNode.Parse(await market.Waldur.CreateApiClient().GetStringAsync($"/api/marketplace-provider-resources/{resource:N}/", Ct))!["state"];
            if (access is not null && state == "OK") return new Ordered(access.Id, access.TenantId, access.AgentId, resource);
            await Task.Delay(200, Ct);
        }
        throw new TimeoutException($"The order of resource {resource} was not completed.");
    }

    protected async Task RecordAsync(Ordered o, string metric, long quantity)
    {
        await using var scope = App.Services.GetRequiredService<IServiceScopeFactory>().CreateSystemScope("test");
        var db = scope.ServiceProvider.GetRequiredService<RegistryDb>();
        db.UsageRecords.Add(new UsageRecord
        {
            TenantId = o.TenantId, AccessId = o.AccessId, AgentId = o.AgentId, Metric = metric, Quantity = quantity,
            OccurredAt = App.Clock.UtcNow, IdempotencyKey = Seed.Unique("evt"),
        });
        await db.SaveChangesAsync(Ct);
    }

    protected async Task AggregateAsync()
    {
        await using var scope = App.Services.GetRequiredService<IServiceScopeFactory>().CreateSystemScope("test");
        await scope.ServiceProvider.GetRequiredService<UsageAggregator>().RunAsync(App.Clock.UtcNow.AddMinutes(-10), Ct);
    }

    protected async Task SetWaldurAsync(Ordered o, string component, decimal amount)
    {
        await using var scope = App.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<WaldurClient>().SetUsageAsync(o.ResourceUuid, [new ComponentUsageReport(component, amount)], ct: Ct);
    }

    protected async Task<IReadOnlyList<ReconciliationRow>> ReconcileAsync(Ordered o)
    {
        await using var scope = App.Services.GetRequiredService<IServiceScopeFactory>().CreateSystemScope("test");
        return await scope.ServiceProvider.GetRequiredService<UsageReconciliation>().ReconcileAsync(ThisMonth, o.AccessId, Ct);
    }

    protected async Task<JsonNode> Post(string path, object body)
    {
        var response = await Control.PostAsJsonAsync(path, body, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }
}

/// <summary>Reconciliation of raw usage, daily summaries and Waldur's read-back, and its admin page.</summary>
public abstract class ReconciliationTests(RegistryApp app, Marketplace market) : ReconciliationTestBase(app, market)
{
    [Fact]
    public async Task EachDifferenceBetweenRawUsageSummariesAndWaldurIsNamed()
    {
        var o = await OrderedAccessAsync();
        await RecordAsync(o, Metrics.Messages, 7);
        await RecordAsync(o, Metrics.OutputTokens, 12_345);
        await AggregateAsync();
        await SetWaldurAsync(o, "messages", 7m);

        var rows = await ReconcileAsync(o);
        var messages = rows.Single(r => r.ComponentType == "messages");
        Assert.Equal((ReconciliationStatus.Match, 7L, 7m, 7L, 7m, (decimal?)7m),
            (messages.Status, messages.RawQuantity, messages.Expected, messages.SummarisedQuantity, messages.Summarised, messages.Waldur));
        var tokens = rows.Single(r => r.ComponentType == "tokens");
        Assert.Equal((ReconciliationStatus.NotReported, "output_tokens", 12_345L, 12.35m, (decimal?)null),
            (tokens.Status, tokens.Metric, tokens.RawQuantity, tokens.Expected, tokens.Waldur));
        Assert.Equal(o.ResourceUuid, tokens.ResourceUuid);
        Assert.Equal(2, rows.Count);

        await SetWaldurAsync(o, "tokens", 10m);
        Assert.Equal(ReconciliationStatus.WaldurBehind, Status(await ReconcileAsync(o), "tokens"));
        await SetWaldurAsync(o, "tokens", 20m);
        Assert.Equal(ReconciliationStatus.WaldurAhead, Status(await ReconcileAsync(o), "tokens"));

        // Waldur refused the last report: the row says why.
        await using (var scope = App.Services.GetRequiredService<IServiceScopeFactory>().CreateSystemScope("test"))
        {
            var db = scope.ServiceProvider.GetRequiredService<RegistryDb>();
            db.UsageReports.Add(new WaldurUsageReport
            {
                TenantId = o.TenantId, AccessId = o.AccessId, ResourceUuid = o.ResourceUuid, ComponentType = "tokens", Period = ThisMonth,
                Amount = 12.35m, RawQuantity = 12_345, Outcome = UsageReportOutcome.Rejected, StatusCode = 400,
                Answer = """{"resource": ["Resource is not in a valid state."]}""", AttemptedAt = App.Clock.UtcNow,
            });
            await db.SaveChangesAsync(Ct);
        }
        var rejected = (await ReconcileAsync(o)).Single(r => r.ComponentType == "tokens");
        Assert.Equal(ReconciliationStatus.ReportRejected, rejected.Status);
        Assert.Equal((UsageReportOutcome.Rejected, (int?)400), (rejected.LastReport!.Outcome, rejected.LastReport.StatusCode));
        Assert.Contains("not in a valid state", rejected.LastReport.Answer);

        // Waldur holds the right amount; a record not yet aggregated leaves the summaries behind.
        await SetWaldurAsync(o, "tokens", 12.35m);
        await RecordAsync(o, Metrics.Messages, 1);
        await SetWaldurAsync(o, "messages", 8m);
        rows = await ReconcileAsync(o);
        Assert.Equal(ReconciliationStatus.Match, Status(rows, "tokens"));
        var behind = rows.Single(r => r.ComponentType == "messages");
        Assert.Equal((ReconciliationStatus.SummaryBehind, 8L, 7L), (behind.Status, behind.RawQuantity, behind.SummarisedQuantity));
        await AggregateAsync();
        Assert.All(await ReconcileAsync(o), r => Assert.Equal(ReconciliationStatus.Match, r.Status));
    }

    [Fact]
    public async Task WaldurFailingMarksTheRowsInsteadOfThrowing()
    {
        var o = await OrderedAccessAsync();
        await RecordAsync(o, Metrics.Messages, 3);
        await AggregateAsync();
        await Post("/emulator/faults", new { path_prefix = "/api/marketplace-component-usages/", method = "GET", count = 100, status = 503 });
        try
        {
            var rows = await ReconcileAsync(o);
            Assert.Equal(2, rows.Count);
            Assert.All(rows, r => Assert.Equal(ReconciliationStatus.WaldurUnreachable, r.Status));
            Assert.All(rows, r => Assert.Contains("503", r.Note));
            Assert.All(rows, r => Assert.Null(r.Waldur));
        }
        finally
        {
            await Control.DeleteAsync("/emulator/faults", Ct);
        }
        Assert.Equal(ReconciliationStatus.NotReported, Status(await ReconcileAsync(o), "messages"));
    }

    [Fact]
    public async Task AdminPageShowsTheRowsAndMarksDifferencesForOperatorsOnly()
    {
        var o = await OrderedAccessAsync();
        await RecordAsync(o, Metrics.Messages, 5);
        await RecordAsync(o, Metrics.OutputTokens, 2000);
        await AggregateAsync();
        await SetWaldurAsync(o, "messages", 5m);
        var op = await Op();

        var html = await Page(op, $"/admin/reconciliation?access={o.AccessId}");
        Assert.Contains($"data-status=\"Match\" data-access=\"{o.AccessId}\" data-component=\"messages\"", html);
        Assert.Contains($"<tr class=\"difference\" data-status=\"NotReported\" data-access=\"{o.AccessId}\" data-component=\"tokens\"", html);
        Assert.Contains($"href=\"/admin/accesses/details/{o.AccessId}\"", html);
        Assert.Contains("1 difference(s)", html);
        Assert.Contains("Total tokens", html);
        Assert.Contains("href=\"/admin/reconciliation\"", html);

        var differences = await Page(op, $"/admin/reconciliation?access={o.AccessId}&differences=true&month={ThisMonth:yyyy-MM}");
        Assert.DoesNotContain("data-component=\"messages\"", differences);
        Assert.Contains("data-component=\"tokens\"", differences);
        Assert.Contains($"data-access=\"{o.AccessId}\"", await Page(op, "/admin/reconciliation"));
        Assert.Contains("No access with a Waldur resource in this month.", await Page(op, $"/admin/reconciliation?month=1999-01&access={o.AccessId}"));

        var bad = await op.GetAsync("/admin/reconciliation?month=2026-13", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("Month must be a UTC month as YYYY-MM", await bad.Content.ReadAsStringAsync(Ct));

        var member = await App.MemberAsync(op, o.TenantId.ToString());
        var refused = await member.GetAsync("/admin/reconciliation", Ct);
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Equal("/login", refused.Headers.Location!.AbsolutePath);
    }

    private static ReconciliationStatus Status(IReadOnlyList<ReconciliationRow> rows, string component) => rows.Single(r => r.ComponentType == component).Status;

    private static async Task<string> Page(HttpClient client, string path)
    {
        var response = await client.GetAsync(path, Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {html[..Math.Min(500, html.Length)]}");
        return html;
    }
}

/// <summary><c>agentregistry usage aggregate|reconcile</c> against the same database and the emulated Waldur.</summary>
public abstract class UsageCommandTests(RegistryApp app, Marketplace market) : ReconciliationTestBase(app, market)
{
    private Task<(int Exit, string Output)> Run(params string[] args) => CommandLineRunner.RunAsync(App, args);

    [Fact]
    public async Task AggregateThenReconcileExitsZeroOnlyWhenEverythingMatches()
    {
        var o = await OrderedAccessAsync();
        await RecordAsync(o, Metrics.Messages, 3);
        var aggregated = await Run("usage", "aggregate", "--since", App.Clock.UtcNow.AddDays(-1).ToString("yyyy-MM-dd"));
        Assert.True(aggregated.Exit == 0, aggregated.Output);
        Assert.Contains("daily summary(ies)", aggregated.Output);

        var notReported = await Run("usage", "reconcile", "--access", o.AccessId.ToString());
        Assert.Equal(1, notReported.Exit);
        Assert.Contains("NotReported", notReported.Output);

        await SetWaldurAsync(o, "messages", 3m);
        var matching = await Run("usage", "reconcile", "--access", o.AccessId.ToString(), "--month", ThisMonth.ToString("yyyy-MM"));
        Assert.True(matching.Exit == 0, matching.Output);
        Assert.Contains("2 row(s), 0 difference(s)", matching.Output);

        // JSON read from the command's own writer: other hosts in this process may log to the console meanwhile.
        var json = new StringWriter();
        Assert.Equal(0, await UsageCommands.RunAsync(App.Services, ["reconcile", "--access", o.AccessId.ToString(), "--json"], json));
        var parsed = JsonNode.Parse(json.ToString())!;
        Assert.Equal(0, (int)parsed["differences"]!);
        var messages = parsed["rows"]!.AsArray().Single(r => (string?)r!["component_type"] == "messages")!;
        Assert.Equal(("Match", 3L, 3m), ((string?)messages["status"], (long)messages["raw_quantity"]!, (decimal)messages["waldur"]!));

        await SetWaldurAsync(o, "messages", 2m);
        var behind = await Run("usage", "reconcile", "--access", o.AccessId.ToString());
        Assert.Equal(1, behind.Exit);
        Assert.Contains("WaldurBehind", behind.Output);

        // Waldur not answering at all: the rows say so and the command still finishes.
        var unreachable = await Run("usage", "reconcile", "--access", o.AccessId.ToString(), "--Waldur:ApiUrl=http://127.0.0.1:9/", "--Waldur:Retries=0");
        Assert.Equal(1, unreachable.Exit);
        Assert.Contains("WaldurUnreachable", unreachable.Output);
    }

    [Fact]
    public async Task InvoiceCheckExitsZeroOnlyWhenWaldurWillInvoiceWhatThePlanPromises()
    {
        var o = await OrderedAccessAsync();
        await RecordAsync(o, Metrics.Messages, 300);

        // 300 messages at 0.01 that Waldur does not hold: 3.00 missing from its invoice.
        var missing = await Run("usage", "invoice", "--access", o.AccessId.ToString());
        Assert.True(missing.Exit == 1, missing.Output);
        Assert.Contains("UsageMissing", missing.Output);

        await SetWaldurAsync(o, "messages", 300m);
        var json = new StringWriter();
        Assert.Equal(0, await UsageCommands.RunAsync(App.Services, ["invoice", "--access", o.AccessId.ToString(), "--json"], json));
        var access = JsonNode.Parse(json.ToString())!["accesses"]!.AsArray().Single()!;
        Assert.Equal(["Match"], access["statuses"]!.AsArray().Select(s => (string?)s));
        var messages = access["lines"]!.AsArray().Single(l => (string?)l!["component_type"] == "messages")!;
        Assert.Equal((3m, 3m), ((decimal)messages["expected"]!, (decimal)messages["waldur"]!));
    }

    [Theory]
    [InlineData("invoice", "--month", "2026-13")]
    [InlineData("invoice", "--access", "not-an-id")]
    [InlineData("invoice", "--frobnicate")]
    public async Task BadInvoiceArgumentsExitTwoWithAMessage(params string[] args)
    {
        var (exit, output) = await Run(["usage", .. args]);
        Assert.Equal(2, exit);
        Assert.Contains("error: ", output);
    }

    [Theory]
    [InlineData("--month", "2026-13")]
    [InlineData("--month", "11-2026")]
    [InlineData("--month")]
    [InlineData("--access", "not-an-id")]
    [InlineData("--access", "00000000-0000-0000-0000-000000000001")]
    [InlineData("--frobnicate")]
    public async Task BadReconcileArgumentsExitTwoWithAMessage(params string[] args)
    {
        var (exit, output) = await Run(["usage", "reconcile", .. args]);
        Assert.Equal(2, exit);
        Assert.Contains("error: ", output);
    }

    [Fact]
    public async Task BadAggregateArgumentsAndUnknownVerbsExitTwo()
    {
        var since = await Run("usage", "aggregate", "--since", "yesterday");
        Assert.Equal(2, since.Exit);
        Assert.Contains("--since must be a UTC day as YYYY-MM-DD", since.Output);
        var verb = await Run("usage", "frobnicate");
        Assert.Equal(2, verb.Exit);
        Assert.Contains("reconcile [--month YYYY-MM]", verb.Output);
        Assert.Contains("  report", verb.Output);
    }
}

public sealed class ReconciliationOnSqlite(ReconciliationRegistry<Sqlite> app) : ReconciliationTests(app, app.Market), IClassFixture<ReconciliationRegistry<Sqlite>>;
public sealed class ReconciliationOnPostgres(ReconciliationRegistry<Postgres> app) : ReconciliationTests(app, app.Market), IClassFixture<ReconciliationRegistry<Postgres>>;
public sealed class UsageCommandsOnSqlite(ReconciliationRegistry<Sqlite> app) : UsageCommandTests(app, app.Market), IClassFixture<ReconciliationRegistry<Sqlite>>;
public sealed class UsageCommandsOnPostgres(ReconciliationRegistry<Postgres> app) : UsageCommandTests(app, app.Market), IClassFixture<ReconciliationRegistry<Postgres>>;
