using System.Diagnostics;
using AgentRegistry.Tests.Infrastructure;

namespace AgentRegistry.Tests.Metering;

/// <summary>Prints usage ingestion throughput through the batched HTTP API (in-process server); asserts correctness only.</summary>
public abstract class IngestionThroughputTests(RegistryApp app, string provider) : RegistryTest(app)
{
    [Fact]
    public async Task BatchedIngestionThroughput()
    {
        var op = await Op();
        var s = await op.SubscribedTenantAsync();
        var key = App.WithKey(await op.IssueKeyAsync(s.AccessId, "usage:write"));
        var at = DateTime.UtcNow.AddMinutes(-1);
        object Batch(int b) => new { events = Enumerable.Range(0, 1000).Select(i => new { id = $"{b}-{i}", metric = "output_tokens", quantity = 10, occurred_at = at }) };
        await key.PostJson("/api/v1/usage/events", Batch(-1)).Json200();
        const int batches = 20;
        var watch = Stopwatch.StartNew();
        for (var b = 0; b < batches; b++) await key.PostJson("/api/v1/usage/events", Batch(b)).Json200();
        var sequential = batches * 1000 / watch.Elapsed.TotalSeconds;
        watch.Restart();
        await Task.WhenAll(Enumerable.Range(100, 4).Select(async w =>
        {
            for (var b = 0; b < batches / 4; b++) await key.PostJson("/api/v1/usage/events", Batch(w * 1000 + b)).Json200();
        }));
        var parallel = batches * 1000 / watch.Elapsed.TotalSeconds;
        watch.Restart();
        var dup = await key.PostJson("/api/v1/usage/events", Batch(0)).Json200();
        var duplicates = 1000 / watch.Elapsed.TotalSeconds;
        Assert.Equal(1000, (int)dup["duplicate"]!);
        var line = $"usage ingestion {provider}: {sequential:F0} events/s sequential (batches of 1000), {parallel:F0} events/s with 4 parallel senders, {duplicates:F0} events/s all-duplicate batch";
        TestContext.Current.TestOutputHelper?.WriteLine(line);
        await File.AppendAllTextAsync(Path.Combine(Path.GetTempPath(), "agentregistry-usage-ingestion.txt"), line + Environment.NewLine);
    }
}

public sealed class IngestionThroughputOnSqlite(SqliteRegistry app) : IngestionThroughputTests(app, "sqlite"), IClassFixture<SqliteRegistry>;

public sealed class IngestionThroughputOnPostgres(PostgresRegistry app) : IngestionThroughputTests(app, "postgresql"), IClassFixture<PostgresRegistry>;
