using AgentRegistry.Infrastructure.Scheduling;
using AgentRegistry.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Quartz;

namespace AgentRegistry.Tests.Operations;

/// <summary>A service that holds the host's stop until the stop's deadline, as a stream a client keeps open does.</summary>
public sealed class SlowToStop : IHostedService
{
    public Task StartAsync(CancellationToken ct) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken ct)
    {
        try { await Task.Delay(Timeout.Infinite, ct); }
        catch (OperationCanceledException) { }
    }
}

/// <summary>How many runs of <see cref="LingeringWork"/> are under way in one registry.</summary>
public sealed class Lingering
{
    public int Running;
}

/// <summary>Work still running well past the host's stop deadline (a statement in flight that does not watch its token).</summary>
public sealed class LingeringWork(Lingering lingering) : IScheduledWork
{
    public async Task RunAsync(CancellationToken ct)
    {
        Interlocked.Increment(ref lingering.Running);
        try { await Task.Delay(TimeSpan.FromSeconds(30), CancellationToken.None); }
        finally { Interlocked.Decrement(ref lingering.Running); }
    }
}

/// <summary>A registry whose host has one second to stop, with a service that takes all of it.</summary>
public sealed class StopDeadlineRegistry<TDatabase> : RegistryApp<TDatabase> where TDatabase : TestDatabase, new()
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(s => s
            .Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(1))
            .AddSingleton<Lingering>()
            .AddScheduledWork<LingeringWork>("lingering", _ => TimeSpan.FromSeconds(1))
            .AddHostedService<SlowToStop>());
    }
}

/// <summary>
/// A host stopped past its deadline (a service holds it for the whole second, as an open stream does) while scheduled
/// work is still running: the stop ends without an error, and only once the scheduler is down, so nothing of Quartz
/// outlives the host (on PostgreSQL its cluster manager would go on checking in to a database the suite drops next, on a
/// foreground thread that holds the test process open).
/// </summary>
public abstract class SchedulerShutdownTests<TDatabase> where TDatabase : TestDatabase, new()
{
    [Fact]
    public async Task PastTheStopDeadlineTheHostStopsWithoutErrorOnceTheSchedulerIsDown()
    {
        await using var app = new StopDeadlineRegistry<TDatabase>();
        await app.InitializeAsync();
        app.RequireAvailable();
        var scheduler = app.Services.GetRequiredService<SchedulerHost>().Scheduler!;
        var lingering = app.Services.GetRequiredService<Lingering>();
        await Scheduling.EventuallyAsync(() => Task.FromResult(lingering.Running), n => n > 0);

        await app.Services.GetRequiredService<IHost>().StopAsync(TestContext.Current.CancellationToken);

        Assert.Equal(SchedulerStatus.Shutdown, scheduler.Status);
        Assert.Equal(1, lingering.Running);
    }
}

public sealed class SchedulerShutdownOnSqlite : SchedulerShutdownTests<Sqlite>;

public sealed class SchedulerShutdownOnPostgres : SchedulerShutdownTests<Postgres>;
