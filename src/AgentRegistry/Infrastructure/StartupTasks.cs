using AgentRegistry.Identity;
using Microsoft.Extensions.Options;

namespace AgentRegistry.Infrastructure;

/// <summary>Runs before the server accepts requests: migrations (where configured) and the first operator account.</summary>
internal sealed class StartupTasks(IServiceProvider services, IOptions<DatabaseOptions> database, ILogger<StartupTasks> log) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        if (database.Value.ShouldMigrateAtStartup)
        {
            await DatabaseSetup.MigrateAsync(services, ct);
            log.LogInformation("Database migrated ({Provider})", database.Value.Provider);
        }
        await BootstrapAdmin.EnsureAsync(services, ct);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
