using AgentRegistry.Infrastructure;
using AgentRegistry.Metering;
using AgentRegistry.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentRegistry.Tests.Metering;

public abstract class AggregationTests(RegistryApp app) : RegistryTest(app)
{
    private async Task<AggregationResult> AggregateAsync(DateTime since)
    {
        await using var scope = App.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<RegistryDb>().Caller.AsSystem();
        return await scope.ServiceProvider.GetRequiredService<UsageAggregator>().RunAsync(since, CancellationToken.None);
    }

    private async Task<(List<DailyUsageSummary> Days, List<TenantQuotaSnapshot> Months)> StoredAsync(string accessId)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RegistryDb>();
        db.Caller.AsSystem();
        var id = Guid.Parse(accessId);
        return (await db.DailyUsageSummaries.AsNoTracking().Where(d => d.AccessId == id).ToListAsync(),
            await db.QuotaSnapshots.AsNoTracking().Where(q => q.AccessId == id).ToListAsync());
    }

    private static object Event(string id, long quantity, DateTime at) => new { id, metric = "messages", quantity, occurred_at = at };

    private sealed record Sent(string Id, long Quantity, DateTime At);

    /// <summary>
    /// The registry's clock stops at a fixed instant of the given UTC day (never today's date); events around midnight
    /// and the start of the month land in their own UTC day and month, a second pass changes nothing, and a late event
    /// re-aggregates the day it occurred on only.
    /// </summary>
    [Theory]
    [InlineData("2026-03-01T10:30:00Z")] // first day of a month: "yesterday" is in the previous month
    [InlineData("2026-03-02T10:30:00Z")] // second day: the first of the month is "yesterday"
    [InlineData("2026-04-30T23:59:00Z")] // last day of a month, a minute before midnight
    [InlineData("2026-12-31T12:00:00Z")] // year end
    [InlineData("2027-01-01T00:00:30Z")] // first seconds of a year
    public async Task DaysAndMonthsFollowUtcBoundariesAndRunningTwiceChangesNothing(string instant)
    {
        var op = await Op();
        var s = await op.SubscribedTenantAsync();
        var key = App.WithKey(await op.IssueKeyAsync(s.AccessId, "usage:write"));
        var now = DateTime.Parse(instant, null, System.Globalization.DateTimeStyles.AdjustToUniversal);
        App.Clock.StopAt(now);
        try
        {
            var since = now.AddMinutes(-1);
            var today = now.Date;
            var monthStart = new DateTime(now.Year, now.Month, 1, 0, 0, 0, DateTimeKind.Utc);
            Sent[] sent =
            [
                new("a", 1, today.AddTicks(-10)), new("b", 2, today), new("c", 4, today.AddSeconds(1)),
                new("d", 8, monthStart.AddSeconds(-1)), new("e", 16, monthStart), new("f", 32, now),
            ];
            var answer = await key.PostJson("/api/v1/usage/events", new { events = sent.Select(e => Event(e.Id, e.Quantity, e.At)) }).Json200();
            Assert.Equal(sent.Length, (int)answer["accepted"]!);

            var first = await AggregateAsync(since);
            Assert.True(first.SummariesChanged > 0);
            var (days, months) = await StoredAsync(s.AccessId);
            // Each event in the UTC day and the UTC month it occurred in, and nowhere else.
            Assert.Equal(
                sent.GroupBy(e => DateOnly.FromDateTime(e.At)).Select(g => (g.Key, g.Sum(e => e.Quantity))).OrderBy(d => d.Key),
                days.Where(d => d.Metric == "messages").Select(d => (d.Day, d.Quantity)).OrderBy(d => d.Day));
            Assert.Equal(
                sent.GroupBy(e => new DateOnly(e.At.Year, e.At.Month, 1)).Select(g => (g.Key, g.Sum(e => e.Quantity))).OrderBy(m => m.Key),
                months.Where(m => m.Metric == "messages").Select(m => (m.Period, m.Used)).OrderBy(m => m.Period));
            Assert.Equal(1000 * 1, months.Single(m => m.Period == BillingMonths.Of(now) && m.Metric == "messages").Limit);

            var second = await AggregateAsync(since);
            Assert.Equal(0, second.SummariesChanged);
            Assert.Equal(0, second.SnapshotsChanged);
            var again = await StoredAsync(s.AccessId);
            Assert.Equal(days.Select(d => (d.Id, d.Quantity, d.ComputedAt)), again.Days.Select(d => (d.Id, d.Quantity, d.ComputedAt)));

            // An hour later, a late event for the day before re-aggregates that day only.
            App.Clock.Advance(TimeSpan.FromHours(1));
            var lateSince = App.Clock.GetUtcNow().UtcDateTime;
            var yesterday = today.AddDays(-1);
            await key.PostJson("/api/v1/usage/events", new { events = new[] { Event("late", 100, yesterday.AddHours(12)) } }).Json200();
            var third = await AggregateAsync(lateSince);
            Assert.InRange(third.DaysRecomputed, 1, int.MaxValue);
            var (daysAfter, _) = await StoredAsync(s.AccessId);
            Assert.Equal(
                days.Select(d => (d.Id, d.Day, d.Quantity + (d.Day == DateOnly.FromDateTime(yesterday) && d.Metric == "messages" ? 100 : 0))).OrderBy(d => d.Id),
                daysAfter.Select(d => (d.Id, d.Day, d.Quantity)).OrderBy(d => d.Id));
            Assert.All(daysAfter.Where(d => d.Day != DateOnly.FromDateTime(yesterday)),
                d => Assert.Equal(days.Single(b => b.Id == d.Id).ComputedAt, d.ComputedAt));
        }
        finally { App.Clock.Resume(); }
    }

    [Fact]
    public async Task RecordsAroundMidnightAndMonthEndLandInTheirUtcDayAndMonth()
    {
        var now = StopClockAt(TestDates.MonthEnd);
        var op = await Op();
        var s = await op.SubscribedTenantAsync();
        var since = now.AddMinutes(-1);
        var endOfYear = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var endOfJanuary = new DateTime(2026, 2, 1, 0, 0, 0, DateTimeKind.Utc);
        await using (var scope = App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<RegistryDb>();
            db.Caller.AsSystem();
            UsageRecord Record(string id, long quantity, DateTime at) => new()
            {
                TenantId = Guid.Parse(s.TenantId), AccessId = Guid.Parse(s.AccessId), AgentId = Guid.Parse(s.AgentId),
                Metric = "messages", Quantity = quantity, OccurredAt = at, IdempotencyKey = $"boundary:{s.AccessId}:{id}",
            };
            db.UsageRecords.AddRange(Record("a", 1, endOfYear.AddTicks(-1)), Record("b", 2, endOfYear), Record("c", 4, endOfYear.AddHours(12)),
                Record("d", 8, endOfJanuary.AddTicks(-1)), Record("e", 16, endOfJanuary), Record("f", 32, endOfJanuary.AddTicks(1)));
            await db.SaveChangesAsync();
        }

        // Other tests of the class may have recorded in the same minute: at least these four days.
        var result = await AggregateAsync(since);
        Assert.InRange(result.DaysRecomputed, 4, int.MaxValue);
        var (days, months) = await StoredAsync(s.AccessId);
        Assert.Equal(
            [(new DateOnly(2025, 12, 31), 1L), (new DateOnly(2026, 1, 1), 2L + 4), (new DateOnly(2026, 1, 31), 8L), (new DateOnly(2026, 2, 1), 16L + 32)],
            days.Where(d => d.Metric == "messages").OrderBy(d => d.Day).Select(d => (d.Day, d.Quantity)));
        Assert.Equal(
            [(new DateOnly(2025, 12, 1), 1L), (new DateOnly(2026, 1, 1), 2L + 4 + 8), (new DateOnly(2026, 2, 1), 16L + 32)],
            months.Where(m => m.Metric == "messages").OrderBy(m => m.Period).Select(m => (m.Period, m.Used)));
        Assert.All(months, m => Assert.Equal(1000, m.Limit));
        Assert.Equal(BillingMonths.Of(endOfYear.AddTicks(-1)), new DateOnly(2025, 12, 1));
        Assert.Equal(BillingMonths.Of(endOfJanuary), new DateOnly(2026, 2, 1));
    }

    [Fact]
    public async Task CrossingEightyAndOneHundredPercentOfALimitRaisesOneAlertEachForThePortal()
    {
        var op = await Op();
        var s = await op.SubscribedTenantAsync();
        var plan = await op.PostJson($"/api/v1/agents/{s.AgentId}/plans", Seed.Plan("Ten", 1m, 10)).Created();
        var access = await op.PostJson("/api/v1/accesses", new { project_id = s.ProjectId, agent_id = s.AgentId, plan_id = plan.Id() }).Created();
        var key = App.WithKey(await op.IssueKeyAsync(access.Id(), "usage:write"));
        var now = new DateTime(2026, 6, 15, 12, 0, 0, DateTimeKind.Utc);
        App.Clock.StopAt(now);
        try { await AlertsAtAsync(op, s, access.Id(), key, now); }
        finally { App.Clock.Resume(); }
    }

    private async Task AlertsAtAsync(HttpClient op, Seeded s, string accessId, HttpClient key, DateTime now)
    {
        var since = now.AddMinutes(-1);
        async Task<List<(int Threshold, long Used, long Limit)>> AlertsAsync(string path) =>
            (await op.GetAsync(path).Json200())["alerts"]!.AsArray()
                .Select(a => ((int)a!["threshold"]!, (long)a["used"]!, (long)a["limit"]!)).ToList();

        await key.PostJson("/api/v1/usage/events", new { events = new[] { Event("a", 7, now) } }).Json200();
        await AggregateAsync(since);
        Assert.Empty(await AlertsAsync($"/api/v1/accesses/{accessId}/usage"));

        await key.PostJson("/api/v1/usage/events", new { events = new[] { Event("b", 1, now) } }).Json200();
        await AggregateAsync(since);
        Assert.Equal([(80, 8L, 10L)], await AlertsAsync($"/api/v1/accesses/{accessId}/usage"));

        await key.PostJson("/api/v1/usage/events", new { events = new[] { Event("c", 3, now) } }).Json200();
        await AggregateAsync(since);
        await AggregateAsync(since);
        Assert.Equal([(80, 8L, 10L), (100, 11L, 10L)], await AlertsAsync($"/api/v1/accesses/{accessId}/usage"));
        Assert.Equal(2, (await AlertsAsync($"/api/v1/tenants/{s.TenantId}/usage")).Count);
    }

}

/// <summary>The registry with the scheduled aggregation off: only the tests aggregate, at the instants they choose.</summary>
public sealed class AggregationRegistry<TDatabase> : RegistryApp<TDatabase> where TDatabase : TestDatabase, new()
{
    protected override void Configure(IDictionary<string, string?> settings) => settings["Metering:AggregateSeconds"] = "0";
}

public sealed class AggregationOnSqlite(AggregationRegistry<Sqlite> app) : AggregationTests(app), IClassFixture<AggregationRegistry<Sqlite>>;

public sealed class AggregationOnPostgres(AggregationRegistry<Postgres> app) : AggregationTests(app), IClassFixture<AggregationRegistry<Postgres>>;

/// <summary>Two aggregation passes at once over the same records on one PostgreSQL: the summaries equal the raw sums, once each.</summary>
public sealed class ConcurrentAggregationOnPostgres(RegistryApp<Postgres> app) : RegistryTest(app), IClassFixture<RegistryApp<Postgres>>
{
    [Fact]
    public async Task TwoPassesAtOnceWriteEachSummaryOnceWithTheRawSum()
    {
        var now = StopClockAt(TestDates.MonthEnd);
        var op = await Op();
        var seeded = new[] { await op.SubscribedTenantAsync(), await op.SubscribedTenantAsync() };
        var since = now.AddMinutes(-1);
        await using (var scope = App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<RegistryDb>();
            foreach (var s in seeded)
                await db.Database.ExecuteSqlAsync($"""
                    INSERT INTO "UsageRecords" ("TenantId", "AccessId", "AgentId", "Metric", "Quantity", "OccurredAt", "RecordedAt", "IdempotencyKey")
                    SELECT {Guid.Parse(s.TenantId)}, {Guid.Parse(s.AccessId)}, {Guid.Parse(s.AgentId)},
                        (ARRAY['messages', 'input_tokens', 'output_tokens'])[1 + i % 3], 1 + i % 7,
                        {now} - (i % 40) * interval '1 day' - (i % 1440) * interval '1 minute', {now}, 'concurrent:' || {s.AccessId} || ':' || i
                    FROM generate_series(1, 30000) AS i
                    """);
        }

        async Task<AggregationResult> Pass()
        {
            await using var scope = App.Services.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<RegistryDb>().Caller.AsSystem();
            return await scope.ServiceProvider.GetRequiredService<UsageAggregator>().RunAsync(since, CancellationToken.None);
        }

        for (var round = 0; round < 3; round++) await Task.WhenAll(Pass(), Pass());

        await using var check = App.Services.CreateAsyncScope();
        var read = check.ServiceProvider.GetRequiredService<RegistryDb>();
        read.Caller.AsSystem();
        var ids = seeded.Select(s => Guid.Parse(s.AccessId)).ToList();
        var records = await read.UsageRecords.AsNoTracking().Where(u => ids.Contains(u.AccessId))
            .Select(u => new { u.AccessId, u.Metric, u.OccurredAt, u.Quantity }).ToListAsync();
        var raw = records.GroupBy(r => (r.AccessId, r.Metric, Day: DateOnly.FromDateTime(r.OccurredAt)))
            .ToDictionary(g => g.Key, g => g.Sum(r => r.Quantity));
        var summaries = await read.DailyUsageSummaries.AsNoTracking().Where(d => ids.Contains(d.AccessId)).ToListAsync();
        Assert.Equal(raw.Count, summaries.Count);
        Assert.Equal(raw.OrderBy(r => r.Key).Select(r => (r.Key, r.Value)),
            summaries.Select(d => ((d.AccessId, d.Metric, d.Day), d.Quantity)).OrderBy(d => d.Item1));
        var monthly = records.GroupBy(r => (r.AccessId, r.Metric, Month: BillingMonths.Of(r.OccurredAt))).ToDictionary(g => g.Key, g => g.Sum(r => r.Quantity));
        var snapshots = await read.QuotaSnapshots.AsNoTracking().Where(q => ids.Contains(q.AccessId)).ToListAsync();
        Assert.Equal(monthly.OrderBy(m => m.Key).Select(m => (m.Key, m.Value)),
            snapshots.Select(q => ((q.AccessId, q.Metric, q.Period), q.Used)).OrderBy(q => q.Item1));
    }
}
