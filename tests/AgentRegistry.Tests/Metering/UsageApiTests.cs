using AgentRegistry.Infrastructure;
using AgentRegistry.Metering;
using AgentRegistry.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AgentRegistry.Tests.Metering;

public abstract class UsageApiTests(RegistryApp app) : RegistryTest(app)
{
    [Fact]
    public async Task MemberSeesDailyUsageTotalsAndLimitsFromSummariesAndToday()
    {
        var op = await Op();
        var s = await op.SubscribedTenantAsync();
        var key = App.WithKey(await op.IssueKeyAsync(s.AccessId, "usage:write"));
        var member = await App.MemberAsync(op, s.TenantId);
        var other = await op.SubscribedTenantAsync();
        var stranger = await App.MemberAsync(op, other.TenantId);
        // A fixed instant on the registry's clock: "today" and "yesterday" never straddle a real midnight.
        var now = new DateTime(2026, 6, 10, 12, 0, 0, DateTimeKind.Utc);
        App.Clock.StopAt(now);
        try { await UsageAtAsync(s, key, member, stranger, now); }
        finally { App.Clock.Resume(); }
    }

    private async Task UsageAtAsync(Seeded s, HttpClient key, HttpClient member, HttpClient stranger, DateTime now)
    {
        var since = now.AddMinutes(-1);
        await key.PostJson("/api/v1/usage/events", new
        {
            events = new[]
            {
                new { id = "y", metric = "messages", quantity = 3L, occurred_at = now.Date.AddDays(-1).AddHours(1) },
                new { id = "t", metric = "messages", quantity = 5L, occurred_at = now.AddSeconds(-5) },
            },
        }).Json200();
        await using (var scope = App.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<RegistryDb>().Caller.AsSystem();
            await scope.ServiceProvider.GetRequiredService<UsageAggregator>().RunAsync(since, CancellationToken.None);
        }
        var from = DateOnly.FromDateTime(now.AddDays(-2)).ToString("yyyy-MM-dd");
        var usage = await member.GetAsync($"/api/v1/accesses/{s.AccessId}/usage?from={from}&granularity=day").Json200();
        Assert.Equal(8, (long)usage["totals"]!["messages"]!);
        Assert.Equal(2, usage["days"]!.AsArray().Count);
        Assert.Contains(usage["limits"]!.AsArray(), l => (string?)l!["type"] == "messages" && (decimal?)l["limit"] == 1000m && (bool)l["hard_limit"]!);
        var tenant = await member.GetAsync($"/api/v1/tenants/{s.TenantId}/usage?from={from}").Json200();
        Assert.Equal(8, (long)tenant["totals"]!["messages"]!);

        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/v1/accesses/{s.AccessId}/usage")).StatusCode);
    }
}

public sealed class UsageApiOnSqlite(RegistryApp<Sqlite> app) : UsageApiTests(app), IClassFixture<RegistryApp<Sqlite>>;

public sealed class UsageApiOnPostgres(RegistryApp<Postgres> app) : UsageApiTests(app), IClassFixture<RegistryApp<Postgres>>;
