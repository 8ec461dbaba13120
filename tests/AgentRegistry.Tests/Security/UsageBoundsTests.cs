using AgentRegistry.Access;
using AgentRegistry.Infrastructure;
using AgentRegistry.Metering;
using AgentRegistry.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentRegistry.Tests.Security;

/// <summary>Usage quantities are bounded on the way in, and every sum saturates instead of overflowing.</summary>
public abstract class UsageBoundsTests(RegistryApp app) : RegistryTest(app)
{
    private async Task<(Seeded Seeded, HttpClient Key)> UsageKeyAsync()
    {
        var op = await Op();
        var s = await op.SubscribedTenantAsync();
        return (s, App.WithKey(await op.IssueKeyAsync(s.AccessId, "usage:write", "chat")));
    }

    private static object Event(string id, object quantity, DateTime at, string metric = "messages") => new { id, metric, quantity, occurred_at = at };

    private async Task<T> WithDbAsync<T>(Func<RegistryDb, Task<T>> work)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RegistryDb>();
        db.Caller.AsSystem();
        return await work(db);
    }

    private async Task<AggregationResult> AggregateAsync()
    {
        await using var scope = App.Services.GetRequiredService<IServiceScopeFactory>().CreateSystemScope("test");
        return await scope.ServiceProvider.GetRequiredService<UsageAggregator>().RunAsync(App.Clock.GetUtcNow().UtcDateTime.AddHours(-1), CancellationToken.None);
    }

    private Task<List<UsageRecord>> RecordsAsync(string accessId) =>
        WithDbAsync(db => db.UsageRecords.AsNoTracking().Where(u => u.AccessId == Guid.Parse(accessId)).ToListAsync());

    [Fact]
    public async Task AHugeQuantityIsRejectedAndNeitherStoredNorCounted()
    {
        var now = StopClockAt(TestDates.MonthEnd);
        var (s, key) = await UsageKeyAsync();
        var at = now.AddMinutes(-1);
        var result = await key.PostJson("/api/v1/usage/events", new
        {
            events = new[] { Event("huge", long.MaxValue, at), Event("fine", 3, at) },
        }).Json200();
        Assert.Equal("rejected", (string?)result["results"]![0]!["status"]);
        Assert.Contains("at most", (string?)result["results"]![0]!["reason"]);
        Assert.Equal("accepted", (string?)result["results"]![1]!["status"]);
        Assert.Equal([3L], (await RecordsAsync(s.AccessId)).Select(r => r.Quantity));
        // The hard limit (1,000 messages) still holds: the next chat is answered, not lifted by an overflow.
        await key.PostJson("/api/v1/chat", new { message = "Still within the plan?" }).Json200();
    }

    [Fact]
    public async Task ABatchWhoseQuantitiesAddUpTooHighIsRefusedWholeAndStoresNothing()
    {
        var now = StopClockAt(TestDates.MonthEnd);
        var (s, key) = await UsageKeyAsync();
        var at = now.AddMinutes(-1);
        var problem = await key.PostJson("/api/v1/usage/events", new
        {
            events = Enumerable.Range(0, 11).Select(i => Event($"big-{i}", 1_000_000_000_000, at, "output_tokens")),
        }).Problem(422, "validation");
        Assert.NotNull(problem["errors"]!["events"]);
        Assert.Empty(await RecordsAsync(s.AccessId));
    }

    [Fact]
    public async Task StoredUsageBeyondTheLongRangeSaturatesInAggregationTheUsageApiAndTheQuota()
    {
        var now = StopClockAt(TestDates.MonthEnd);
        var (bad, badKey) = await UsageKeyAsync();
        var (good, goodKey) = await UsageKeyAsync();
        var at = now.AddMinutes(-2);
        await goodKey.PostJson("/api/v1/usage/events", new { events = new[] { Event("g-1", 7, at) } }).Json200();
        // Records no API accepts any more (older data, a direct import): together they overflow a 64-bit sum.
        await WithDbAsync(async db =>
        {
            var tenant = Guid.Parse(bad.TenantId);
            var access = Guid.Parse(bad.AccessId);
            var agent = Guid.Parse(bad.AgentId);
            for (var i = 0; i < 3; i++)
                db.UsageRecords.Add(new UsageRecord
                {
                    TenantId = tenant, AccessId = access, AgentId = agent, Metric = Metrics.Messages, Quantity = long.MaxValue / 2,
                    OccurredAt = at, IdempotencyKey = $"import:{access:N}:{i}",
                });
            return await db.SaveChangesAsync();
        });

        var result = await AggregateAsync();
        Assert.Empty(result.FailedAccesses);
        var summaries = await WithDbAsync(db => db.DailyUsageSummaries.AsNoTracking()
            .Where(d => d.AccessId == Guid.Parse(bad.AccessId) || d.AccessId == Guid.Parse(good.AccessId)).ToListAsync());
        Assert.Equal(UsageTotals.Ceiling, summaries.Single(d => d.AccessId == Guid.Parse(bad.AccessId)).Quantity);
        Assert.Equal(7, summaries.Single(d => d.AccessId == Guid.Parse(good.AccessId)).Quantity);

        var op = await Op();
        var usage = await op.GetAsync($"/api/v1/accesses/{bad.AccessId}/usage").Json200();
        Assert.Equal(UsageTotals.Ceiling, (long)usage["totals"]!["messages"]!);
        var tenantUsage = await op.GetAsync($"/api/v1/tenants/{bad.TenantId}/usage").Json200();
        Assert.Equal(UsageTotals.Ceiling, (long)tenantUsage["totals"]!["messages"]!);
        // The hard limit counts the saturated total: used up, not wrapped around to a negative number.
        await badKey.PostJson("/api/v1/chat", new { message = "Anything left?" }).Problem(429, "quota-exceeded");
    }

    [Fact]
    public async Task AnOrderLimitAsLargeAsWaldurAcceptsSaturatesTheAllowanceInsteadOfStoppingAggregation()
    {
        var now = StopClockAt(TestDates.MonthEnd);
        var op = await Op();
        var s = await op.SubscribedTenantAsync();
        var plan = await op.PostJson($"/api/v1/agents/{s.AgentId}/plans", new
        {
            name = "Prepaid", unit = "month", unit_price = 0m,
            components = new object[]
            {
                new { type = "tokens", name = "Tokens", billing_type = "limit", metric = "output_tokens", unit_size = 1_000_000_000, price = 1m, limit = 1 },
            },
        }).Created();
        var access = await op.PostJson("/api/v1/accesses", new { project_id = s.ProjectId, agent_id = s.AgentId, plan_id = plan.Id() }).Created();
        // The limit chosen in the order: ceil(limit x unit size) is far beyond a decimal.
        await WithDbAsync(async db =>
        {
            var row = await db.Accesses.SingleAsync(a => a.Id == Guid.Parse(access.Id()));
            row.Limits = new Dictionary<string, decimal> { ["tokens"] = decimal.MaxValue };
            return await db.SaveChangesAsync();
        });
        var key = App.WithKey(await op.IssueKeyAsync(access.Id(), "usage:write", "chat"));
        await key.PostJson("/api/v1/usage/events", new { events = new[] { Event("t-1", 5, now.AddMinutes(-2), "output_tokens") } }).Json200();

        var result = await AggregateAsync();
        Assert.DoesNotContain(Guid.Parse(access.Id()), result.FailedAccesses);
        var snapshot = await WithDbAsync(db => db.QuotaSnapshots.AsNoTracking().SingleAsync(q => q.AccessId == Guid.Parse(access.Id()) && q.Metric == Metrics.OutputTokens));
        Assert.Equal(5, snapshot.Used);
        Assert.Equal(UsageTotals.Ceiling, snapshot.Limit);
        // The allowance is all but endless: the chat is answered.
        await key.PostJson("/api/v1/chat", new { message = "Plenty left?" }).Json200();
    }

    [Fact]
    public async Task OneAccessWhoseDataCannotBeAggregatedDoesNotStopTheOthers()
    {
        var now = StopClockAt(TestDates.MonthEnd);
        var (bad, badKey) = await UsageKeyAsync();
        var (good, goodKey) = await UsageKeyAsync();
        var at = now.AddMinutes(-2);
        await badKey.PostJson("/api/v1/usage/events", new { events = new[] { Event("b-1", 5, at) } }).Json200();
        await goodKey.PostJson("/api/v1/usage/events", new { events = new[] { Event("g-1", 9, at) } }).Json200();
        var postgres = await WithDbAsync(db => Task.FromResult(db.Database.IsNpgsql()));
        var plan = postgres ? (object)Guid.Parse(bad.PlanId) : bad.PlanId.ToUpperInvariant();
        var set = postgres ? """UPDATE "Plans" SET "Components" = {1}::jsonb WHERE "Id" = {0}""" : """UPDATE "Plans" SET "Components" = {1} WHERE "Id" = {0}""";
        var original = await WithDbAsync(db => db.Database.SqlQueryRaw<string>(postgres
            ? """SELECT "Components"::text AS "Value" FROM "Plans" WHERE "Id" = {0}""" : """SELECT "Components" AS "Value" FROM "Plans" WHERE "Id" = {0}""", plan).SingleAsync());
        // The bad access's plan no longer reads as a list of components (a hand edit gone wrong).
        await WithDbAsync(db => db.Database.ExecuteSqlRawAsync(set, plan, """{"broken": true}"""));
        try
        {
            var result = await AggregateAsync();
            Assert.Contains(Guid.Parse(bad.AccessId), result.FailedAccesses);
            Assert.DoesNotContain(Guid.Parse(good.AccessId), result.FailedAccesses);
            var summary = await WithDbAsync(db => db.DailyUsageSummaries.AsNoTracking().SingleAsync(d => d.AccessId == Guid.Parse(good.AccessId)));
            Assert.Equal(9, summary.Quantity);
        }
        finally
        {
            await WithDbAsync(db => db.Database.ExecuteSqlRawAsync(set, plan, original));
        }
    }
}

public sealed class UsageBoundsOnSqlite(RegistryApp<Sqlite> app) : UsageBoundsTests(app), IClassFixture<RegistryApp<Sqlite>>;

public sealed class UsageBoundsOnPostgres(RegistryApp<Postgres> app) : UsageBoundsTests(app), IClassFixture<RegistryApp<Postgres>>;
