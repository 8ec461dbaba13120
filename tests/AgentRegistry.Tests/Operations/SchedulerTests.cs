using AgentRegistry.Metering;
using System.Collections.Concurrent;
using AgentRegistry.Infrastructure;
using AgentRegistry.Infrastructure.Scheduling;
using AgentRegistry.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace AgentRegistry.Tests.Operations;

/// <summary>The usage aggregation runs on its schedule, without anyone calling it.</summary>
public abstract class ScheduledAggregationTests(RegistryApp app) : RegistryTest(app)
{
    [Fact]
    public async Task AggregationRunsOnScheduleAndTheSchedulerIsHealthy()
    {
        var op = await Op();
        var s = await op.SubscribedTenantAsync();
        var key = App.WithKey(await op.IssueKeyAsync(s.AccessId, "usage:write"));
        await key.PostJson("/api/v1/usage/events", new
        {
            events = new[] { new { id = "scheduled", metric = "messages", quantity = 7, occurred_at = App.Clock.UtcNow } },
        }).Json200();

        var id = Guid.Parse(s.AccessId);
        var summed = await Scheduling.EventuallyAsync(async () =>
        {
            await using var scope = App.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<RegistryDb>();
            db.Caller.AsSystem();
            return await db.DailyUsageSummaries.Where(d => d.AccessId == id && d.Metric == "messages").SumAsync(d => d.Quantity);
        }, quantity => quantity == 7);
        Assert.Equal(7, summed);

        var ready = await App.Anonymous().GetAsync("/health/ready").Json200();
        Assert.Equal("Healthy", (string?)ready["checks"]!["scheduler"]!["status"]);
    }
}

public sealed class FastAggregationRegistry<TDatabase> : RegistryApp<TDatabase> where TDatabase : TestDatabase, new()
{
    protected override void Configure(IDictionary<string, string?> settings) => settings["Metering:AggregateSeconds"] = "1";
}

public sealed class ScheduledAggregationOnSqlite(FastAggregationRegistry<Sqlite> app) : ScheduledAggregationTests(app), IClassFixture<FastAggregationRegistry<Sqlite>>;

public sealed class ScheduledAggregationOnPostgres(FastAggregationRegistry<Postgres> app) : ScheduledAggregationTests(app), IClassFixture<FastAggregationRegistry<Postgres>>;

/// <summary>Every run of the counted job, shared by the registries of one cluster.</summary>
public sealed class RunLog
{
    public sealed record Run(string FireInstanceId, DateTimeOffset ScheduledAt, string Instance);

    private int _running;
    public ConcurrentQueue<Run> Runs { get; } = new();
    /// <summary>The most runs that were ever in progress at once, across the cluster.</summary>
    public int MostAtOnce { get; private set; }

    public void Enter()
    {
        var now = Interlocked.Increment(ref _running);
        lock (Runs) MostAtOnce = Math.Max(MostAtOnce, now);
    }

    public void Exit() => Interlocked.Decrement(ref _running);
}

/// <summary>A job that records each of its runs, slow enough that an overlap would be seen.</summary>
public sealed class CountedWork(RunLog log, ScheduledFire fire) : IScheduledWork
{
    public async Task RunAsync(CancellationToken ct)
    {
        log.Enter();
        try
        {
            await Task.Delay(300, ct);
            log.Runs.Enqueue(new RunLog.Run(fire.FireInstanceId, fire.ScheduledAt, fire.InstanceId));
        }
        finally { log.Exit(); }
    }
}

/// <summary>One replica of a clustered registry: a counted job every second; the second replica shares the first's database.</summary>
public sealed class ClusterNode(RunLog log, string? sharedConnection)
    : RegistryApp(sharedConnection is null ? new Postgres() : new SharedDatabase(DatabaseProvider.Postgres, sharedConnection))
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(s => s
            .AddSingleton(log)
            .AddScheduledWork<CountedWork>("counted", _ => TimeSpan.FromSeconds(1)));
    }

    public string ConnectionString => Settings["Database:ConnectionString"]!;
}

/// <summary>Two registries on one PostgreSQL database, as two replicas behind a load balancer.</summary>
public sealed class TwoReplicas : IAsyncLifetime
{
    public RunLog Log { get; } = new();
    public ClusterNode First { get; private set; } = null!;
    public ClusterNode? Second { get; private set; }

    public async ValueTask InitializeAsync()
    {
        First = new ClusterNode(Log, null);
        await First.InitializeAsync();
        if (First.Unavailable is not null) return;
        Second = new ClusterNode(Log, First.ConnectionString);
        await Second.InitializeAsync();
    }

    /// <summary>The replica on the shared database stops first; the first one, which drops it, stops even if that failed.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (Second is not null) await Second.DisposeAsync();
        }
        finally
        {
            await First.DisposeAsync();
        }
    }
}

public sealed class ClusteredSchedulerTests(TwoReplicas cluster) : IClassFixture<TwoReplicas>
{
    [Fact]
    public async Task EachFireRunsOnOneReplicaOnly()
    {
        cluster.First.RequireAvailable();
        var first = cluster.First.Services.GetRequiredService<SchedulerHost>().Scheduler!;
        var second = cluster.Second!.Services.GetRequiredService<SchedulerHost>().Scheduler!;
        Assert.NotEqual(first.SchedulerInstanceId, second.SchedulerInstanceId);

        // Both replicas check in to the same cluster.
        var members = await Scheduling.EventuallyAsync(() => Scalar<long>(cluster.First.ConnectionString,
            "SELECT count(*) FROM qrtz_scheduler_state WHERE sched_name = 'agentregistry'"), n => n == 2);
        Assert.Equal(2, members);

        await Scheduling.EventuallyAsync(() => Task.FromResult(cluster.Log.Runs.Count), n => n >= 6);
        var runs = cluster.Log.Runs.ToList();
        Assert.Equal(runs.Count, runs.Select(r => r.FireInstanceId).Distinct().Count());
        Assert.Equal(runs.Count, runs.Select(r => r.ScheduledAt).Distinct().Count());
        Assert.Equal(1, cluster.Log.MostAtOnce);
        Assert.All(runs, r => Assert.Contains(r.Instance, new[] { first.SchedulerInstanceId, second.SchedulerInstanceId }));
    }

    [Fact]
    public async Task TheMigrationCreatesTheQuartzTables()
    {
        cluster.First.RequireAvailable();
        var tables = await Scalar<long>(cluster.First.ConnectionString,
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_name LIKE 'qrtz!_%' ESCAPE '!'");
        Assert.Equal(15, tables);
    }

    private static async Task<T> Scalar<T>(string connection, string sql)
    {
        await using var c = new NpgsqlConnection(connection);
        await c.OpenAsync();
        await using var command = new NpgsqlCommand(sql, c);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}

/// <summary>A PostgreSQL registry whose database has every migration applied but whose Quartz tables are gone.</summary>
public sealed class RegistryWithoutQuartzTables : RegistryApp<Postgres>
{
    protected override async Task PrepareDatabaseAsync(string connection)
    {
        await using var db = new PostgresRegistryDb(new DbContextOptionsBuilder<PostgresRegistryDb>()
            .UseNpgsql(connection, n => n.MigrationsHistoryTable("__migrations")).Options) { Caller = new Caller(new HttpContextAccessor()) };
        await db.Database.MigrateAsync();
        // Every other table as the registry expects it, so only the scheduler cannot start.
        await db.Database.ExecuteSqlRawAsync("""
            DO $$ DECLARE t text; BEGIN
              FOR t IN SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name LIKE 'qrtz!_%' ESCAPE '!'
              LOOP EXECUTE format('DROP TABLE %I CASCADE', t); END LOOP;
            END $$;
            """);
    }

    protected override void Configure(IDictionary<string, string?> settings) => settings["Database:MigrateAtStartup"] = "false";
}

public sealed class SchedulerWithoutTablesTests(RegistryWithoutQuartzTables app) : RegistryTest(app), IClassFixture<RegistryWithoutQuartzTables>
{
    [Fact]
    public async Task ASchedulerThatCannotStartDegradesReadinessButTheRegistryServes()
    {
        var ready = await App.Anonymous().GetAsync("/health/ready").Json200();
        Assert.Equal("Degraded", (string?)ready["status"]);
        Assert.Equal("Degraded", (string?)ready["checks"]!["scheduler"]!["status"]);
        Assert.Equal("Healthy", (string?)ready["checks"]!["database"]!["status"]);
        await (await Op()).GetAsync("/api/v1/agents").Json200();
    }
}

internal static class Scheduling
{
    /// <summary>Probes until the value is as expected; fails after a minute (a bound, not a timing claim).</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T>> probe, Func<T, bool> done)
    {
        var deadline = Deadline.In(TimeSpan.FromMinutes(1));
        while (true)
        {
            var value = await probe();
            if (done(value)) return value;
            if (deadline.Passed) throw new TimeoutException($"Still {value} after a minute.");
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
    }
}
