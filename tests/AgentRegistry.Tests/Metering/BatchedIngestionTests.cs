using AgentRegistry.Metering;
using AgentRegistry.Infrastructure;
using AgentRegistry.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentRegistry.Tests.Metering;

/// <summary>
/// Full batches of 1,000 events, one after another and from four senders at once: each event is stored once, and a
/// batch sent again is all duplicate and stores nothing. (Throughput is measured by bench/Usage.Bench.)
/// </summary>
public abstract class BatchedIngestionTests(RegistryApp app) : RegistryTest(app)
{
    [Fact]
    public async Task FullBatchesFromParallelSendersAreEachStoredOnceAndARepeatedBatchStoresNothing()
    {
        var op = await Op();
        var s = await op.SubscribedTenantAsync();
        var key = App.WithKey(await op.IssueKeyAsync(s.AccessId, "usage:write"));
        var at = App.Clock.GetUtcNow().UtcDateTime.AddMinutes(-1);
        object Batch(int b) => new { events = Enumerable.Range(0, 1000).Select(i => new { id = $"{b}-{i}", metric = "output_tokens", quantity = 10, occurred_at = at }) };
        async Task<(long Records, long Quantity)> StoredAsync()
        {
            await using var scope = App.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<RegistryDb>();
            db.Caller.AsSystem();
            var records = db.UsageRecords.Where(u => u.AccessId == Guid.Parse(s.AccessId));
            return (await records.LongCountAsync(), await records.SumAsync(u => u.Quantity));
        }

        for (var b = 0; b < 4; b++) Assert.Equal(1000, (int)(await key.PostJson("/api/v1/usage/events", Batch(b)).Json200())["accepted"]!);
        var answers = await Task.WhenAll(Enumerable.Range(100, 4).Select(async w =>
        {
            var accepted = 0;
            for (var b = 0; b < 2; b++) accepted += (int)(await key.PostJson("/api/v1/usage/events", Batch(w * 1000 + b)).Json200())["accepted"]!;
            return accepted;
        }));
        Assert.All(answers, a => Assert.Equal(2000, a));
        Assert.Equal((12_000L, 120_000L), await StoredAsync());

        var again = await key.PostJson("/api/v1/usage/events", Batch(0)).Json200();
        Assert.Equal((0, 1000), ((int)again["accepted"]!, (int)again["duplicate"]!));
        Assert.Equal((12_000L, 120_000L), await StoredAsync());
    }
}

public sealed class BatchedIngestionOnSqlite(RegistryApp<Sqlite> app) : BatchedIngestionTests(app), IClassFixture<RegistryApp<Sqlite>>;

public sealed class BatchedIngestionOnPostgres(RegistryApp<Postgres> app) : BatchedIngestionTests(app), IClassFixture<RegistryApp<Postgres>>;
