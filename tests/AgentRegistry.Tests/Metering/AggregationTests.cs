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

    [Fact]
    public async Task DaysAndMonthsFollowUtcBoundariesAndRunningTwiceChangesNothing()
    {
        var op = await Op();
        var s = await op.SubscribedTenantAsync();
        var key = App.WithKey(await op.IssueKeyAsync(s.AccessId, "usage:write"));
        var since = DateTime.UtcNow.AddMinutes(-1);
        var now = DateTime.UtcNow;
        var today = now.Date;
        var monthStart = new DateTime(now.Year, now.Month, 1, 0, 0, 0, DateTimeKind.Utc);
        await key.PostJson("/api/v1/usage/events", new
        {
            events = new[]
            {
                Event("a", 1, today.AddTicks(-10)), Event("b", 2, today), Event("c", 4, today.AddSeconds(1)),
                Event("d", 8, monthStart.AddSeconds(-1)), Event("e", 16, monthStart),
            },
        }).Json200();

        var first = await AggregateAsync(since);
        Assert.True(first.SummariesChanged > 0);
        var (days, months) = await StoredAsync(s.AccessId);
        long Day(DateTime d) => days.Where(x => x.Day == DateOnly.FromDateTime(d) && x.Metric == "messages").Sum(x => x.Quantity);
        long Month(DateTime d) => months.Where(x => x.Period == QuotaTracker.MonthOf(d) && x.Metric == "messages").Sum(x => x.Used);
        Assert.Equal(today == monthStart ? 2 + 4 + 16 : 2 + 4, Day(today));
        Assert.Equal(today.AddDays(-1) == monthStart.AddSeconds(-1).Date ? 1 + 8 : 1, Day(today.AddDays(-1)));
        Assert.Equal(8 + (today == monthStart ? 1 : 0), Month(monthStart.AddDays(-1)));
        Assert.Equal(2 + 4 + 16 + (today == monthStart ? 0 : 1), Month(monthStart));
        Assert.Equal(1000 * 1, months.Single(m => m.Period == QuotaTracker.MonthOf(now) && m.Metric == "messages").Limit);

        var second = await AggregateAsync(since);
        Assert.Equal(0, second.SummariesChanged);
        Assert.Equal(0, second.SnapshotsChanged);
        var again = await StoredAsync(s.AccessId);
        Assert.Equal(days.Select(d => (d.Id, d.Quantity, d.ComputedAt)), again.Days.Select(d => (d.Id, d.Quantity, d.ComputedAt)));

        // A late event for an earlier day re-aggregates that day only.
        var lateSince = DateTime.UtcNow;
        await key.PostJson("/api/v1/usage/events", new { events = new[] { Event("late", 100, today.AddDays(-1).AddHours(12)) } }).Json200();
        var third = await AggregateAsync(lateSince);
        Assert.Equal(1, third.DaysRecomputed);
        var (daysAfter, _) = await StoredAsync(s.AccessId);
        Assert.Equal(Day(today.AddDays(-1)) + 100, daysAfter.Where(x => x.Day == DateOnly.FromDateTime(today.AddDays(-1)) && x.Metric == "messages").Sum(x => x.Quantity));
    }
}

public sealed class AggregationOnSqlite(SqliteRegistry app) : AggregationTests(app), IClassFixture<SqliteRegistry>;

public sealed class AggregationOnPostgres(PostgresRegistry app) : AggregationTests(app), IClassFixture<PostgresRegistry>;
