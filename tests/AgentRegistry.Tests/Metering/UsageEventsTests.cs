using System.Net;
using System.Text.Json.Nodes;
using AgentRegistry.Infrastructure;
using AgentRegistry.Metering;
using AgentRegistry.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentRegistry.Tests.Metering;

public abstract class UsageEventsTests(RegistryApp app) : RegistryTest(app)
{
    private async Task<(Seeded Seeded, HttpClient Key)> KeyAsync(string scope = "usage:write")
    {
        var op = await Op();
        var s = await op.SubscribedTenantAsync();
        return (s, App.WithKey(await op.IssueKeyAsync(s.AccessId, scope)));
    }

    private static object Event(string id, object quantity, DateTime at, string metric = "messages") =>
        new { id, metric, quantity, occurred_at = at };

    private async Task<List<UsageRecord>> RecordsAsync(string accessId)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RegistryDb>();
        db.Caller.AsSystem();
        var id = Guid.Parse(accessId);
        return await db.UsageRecords.AsNoTracking().Where(u => u.AccessId == id).ToListAsync();
    }

    [Fact]
    public async Task ThousandCopiesOfOneEventInOneBatchCountOnce()
    {
        var now = StopClockAt(TestDates.MonthEnd);
        var (s, key) = await KeyAsync();
        var at = now.AddMinutes(-1);
        var result = await key.PostJson("/api/v1/usage/events", new { events = Enumerable.Range(0, 1000).Select(_ => Event("e-1", 5, at)) }).Json200();
        Assert.Equal(1, (int)result["accepted"]!);
        Assert.Equal(999, (int)result["rejected"]!);
        var again = await key.PostJson("/api/v1/usage/events", new { events = new[] { Event("e-1", 5, at) } }).Json200();
        Assert.Equal("duplicate", (string?)again["results"]![0]!["status"]);
        var records = await RecordsAsync(s.AccessId);
        Assert.Equal(5, records.Single().Quantity);
    }

    [Fact]
    public async Task ThousandCopiesSentConcurrentlyCountOnce()
    {
        var now = StopClockAt(TestDates.MonthEnd);
        var (s, key) = await KeyAsync();
        var at = now.AddMinutes(-1);
        var calls = Enumerable.Range(0, 20).Select(i => key.PostJson("/api/v1/usage/events",
            new { events = Enumerable.Range(0, 50).Select(j => Event(j == 0 ? "same" : $"same-{i}-{j}", 1, at)) }));
        var responses = await Task.WhenAll(calls);
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var bodies = await Task.WhenAll(responses.Select(async r => JsonNode.Parse(await r.Content.ReadAsStringAsync())!));
        Assert.Equal(1, bodies.Count(b => b["results"]!.AsArray().Any(x => (string?)x!["id"] == "same" && (string?)x["status"] == "accepted")));
        var records = await RecordsAsync(s.AccessId);
        Assert.Single(records, r => r.IdempotencyKey.EndsWith(":same", StringComparison.Ordinal));
        Assert.Equal(1 + 20 * 49, records.Count);
    }

    [Fact]
    public async Task MixedBatchAcceptsTheGoodAndRejectsTheBadPerEvent()
    {
        var now = StopClockAt(TestDates.MonthStart);
        var (s, key) = await KeyAsync();
        var result = await key.PostJson("/api/v1/usage/events", new
        {
            events = new[]
            {
                Event("ok-1", 3, now.AddMinutes(-5)),
                Event("neg", -1, now),
                Event("frac", 1.5, now),
                Event("unknown", 1, now, "bananas"),
                Event("future", 1, now.AddHours(2)),
                Event("old", 1, now.AddDays(-400)),
                Event("ok-2", 7, now.AddMinutes(-1), "output_tokens"),
                Event("ok-1", 3, now.AddMinutes(-5)),
            },
        }).Json200();
        var statuses = result["results"]!.AsArray().Select(r => (string)r!["status"]!).ToList();
        Assert.Equal(["accepted", "rejected", "rejected", "rejected", "rejected", "rejected", "accepted", "rejected"], statuses);
        Assert.All(result["results"]!.AsArray().Where(r => (string?)r!["status"] == "rejected"), r => Assert.False(string.IsNullOrEmpty((string?)r!["reason"])));
        var records = await RecordsAsync(s.AccessId);
        Assert.Equal(10, records.Sum(r => r.Quantity));
    }

    [Fact]
    public async Task TooLargeBatchIsRefusedAndChatKeyCannotWrite()
    {
        var now = StopClockAt(TestDates.MonthEnd);
        var (s, key) = await KeyAsync();
        var at = now;
        await key.PostJson("/api/v1/usage/events", new { events = Enumerable.Range(0, 1001).Select(i => Event($"e{i}", 1, at)) }).Problem(413);
        Assert.Empty(await RecordsAsync(s.AccessId));
        var (c, chat) = await KeyAsync("chat");
        var denied = await chat.PostJson("/api/v1/usage/events", new { events = new[] { Event("x", 1, at) } });
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Empty(await RecordsAsync(c.AccessId));
    }

    [Fact]
    public async Task EventsAroundMidnightAndMonthBoundaryKeepTheirUtcTime()
    {
        var (s, key) = await KeyAsync();
        // The registry's clock at 00:45 on the first of a month: midnight and the month boundary are the same instant.
        var now = new DateTime(2026, 3, 1, 0, 45, 0, DateTimeKind.Utc);
        App.Clock.StopAt(now);
        try { await AroundMidnightAsync(s, key, now); }
        finally { App.Clock.Resume(); }
    }

    private async Task AroundMidnightAsync(Seeded s, HttpClient key, DateTime now)
    {
        var monthStart = new DateTime(now.Year, now.Month, 1, 0, 0, 0, DateTimeKind.Utc);
        var before = monthStart.AddTicks(-10); // last instant of the previous month
        var midnight = now.Date;
        var result = await key.PostJson("/api/v1/usage/events", new
        {
            events = new object[]
            {
                Event("m-before", 1, before), Event("m-after", 2, monthStart),
                new { id = "offset", metric = "messages", quantity = 4, occurred_at = midnight.AddMinutes(30).ToString("yyyy-MM-ddTHH:mm:ss") + "+01:00" },
            },
        }).Json200();
        Assert.Equal(3, (int)result["accepted"]!);
        var records = (await RecordsAsync(s.AccessId)).ToDictionary(r => r.IdempotencyKey.Split(':')[^1]);
        Assert.Equal(new DateOnly(2026, 2, 1), BillingMonths.Of(records["m-before"].OccurredAt));
        Assert.Equal(new DateOnly(2026, 3, 1), BillingMonths.Of(records["m-after"].OccurredAt));
        // 00:30 at +01:00 is 23:30 UTC of the day before, in the month before.
        Assert.Equal(new DateTime(2026, 2, 28, 23, 30, 0), records["offset"].OccurredAt);
    }
}

public sealed class UsageEventsOnSqlite(RegistryApp<Sqlite> app) : UsageEventsTests(app), IClassFixture<RegistryApp<Sqlite>>;

public sealed class UsageEventsOnPostgres(RegistryApp<Postgres> app) : UsageEventsTests(app), IClassFixture<RegistryApp<Postgres>>;
