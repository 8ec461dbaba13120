using Microsoft.Extensions.Options;

namespace AgentRegistry.Infrastructure;

/// <summary>Work a feature needs done once the database is migrated and before the server accepts requests.</summary>
public interface IStartupTask
{
    Task RunAsync(CancellationToken ct);
}

/// <summary>Runs before the server accepts requests: migrations (where configured), then the features' startup tasks.</summary>
internal sealed class StartupTasks(IServiceProvider services, IEnumerable<IStartupTask> tasks, IOptions<DatabaseOptions> database,
    ILogger<StartupTasks> log) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        if (database.Value.ShouldMigrateAtStartup)
        {
            await DatabaseSetup.MigrateAsync(services, ct);
            log.LogInformation("Database migrated ({Provider})", database.Value.Provider);
        }
        foreach (var task in tasks) await task.RunAsync(ct);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
