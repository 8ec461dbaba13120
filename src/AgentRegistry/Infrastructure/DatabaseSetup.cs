using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace AgentRegistry.Infrastructure;

public static class DatabaseSetup
{
    public static IServiceCollection AddRegistryDatabase(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        var options = config.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        var connection = options.EffectiveConnectionString;

        services.AddHttpContextAccessor();
        services.AddScoped<Caller>();
        // In-memory caches (IForgetsChanges) learn from every save what it changed. Contexts come from a pool: creating
        // one per request (its options, its internal services) was a large share of a chat message's cost. Each scope
        // rents one, gives it the scope's caller (the tenant filter), and returns it when the scope ends.
        services.AddSingleton<CommittedChanges>();
        if (options.Provider == DatabaseProvider.Sqlite)
        {
            EnsureSqliteDirectory(connection);
            services.AddPooledDbContextFactory<SqliteRegistryDb>((sp, o) => o.UseSqlite(connection,
                s => s.MigrationsHistoryTable("__migrations")).AddInterceptors(Changes(sp)));
            services.AddScoped<RegistryDb>(sp => Rent<SqliteRegistryDb>(sp));
        }
        else
        {
            connection = WithPostgresDefaults(connection);
            services.AddPooledDbContextFactory<PostgresRegistryDb>((sp, o) => o.UseNpgsql(connection,
                n => n.MigrationsHistoryTable("__migrations").EnableRetryOnFailure(3)).AddInterceptors(Changes(sp)));
            services.AddScoped<RegistryDb>(sp => Rent<PostgresRegistryDb>(sp));
        }
        // Registered before data protection, whose own start reads its keys from the database.
        services.AddHostedService<StartupTasks>();
        services.AddDataProtection().SetApplicationName("agentregistry").PersistKeysToDbContext<RegistryDb>().ProtectKeysFromConfiguration(config);
        services.AddHealthChecks().AddDbContextCheck<RegistryDb>("database", tags: ["ready"]);
        return services;
    }

    /// <summary>
    /// The PostgreSQL connection string with the registry's defaults where it leaves them unset: the statements run over
    /// and over (a chat message's history read and inserts, key and widget lookups) are prepared on the server after
    /// their second use (Npgsql's automatic preparation), so PostgreSQL does not parse and plan them for every message.
    /// An explicit <c>Max Auto Prepare</c> wins (0 turns it off, e.g. behind a pooler that does not keep prepared
    /// statements).
    /// </summary>
    internal static string WithPostgresDefaults(string connection)
    {
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connection };
        if (given.Keys.Cast<string>().Any(k => k.Replace(" ", "", StringComparison.Ordinal).Equals("MaxAutoPrepare", StringComparison.OrdinalIgnoreCase)))
            return connection;
        return new Npgsql.NpgsqlConnectionStringBuilder(connection) { MaxAutoPrepare = 64, AutoPrepareMinUsages = 2 }.ConnectionString;
    }

    private static IInterceptor[] Changes(IServiceProvider services)
    {
        var changes = services.GetRequiredService<CommittedChanges>();
        return [changes, changes.TransactionEnds];
    }

    private static TContext Rent<TContext>(IServiceProvider scope) where TContext : RegistryDb
    {
        var db = scope.GetRequiredService<IDbContextFactory<TContext>>().CreateDbContext();
        db.Caller = scope.GetRequiredService<Caller>();
        db.Clock = scope.GetRequiredService<TimeProvider>();
        return db;
    }

    /// <summary>Applies pending migrations; on SQLite also switches the file to WAL, which lets readers run beside the writer.</summary>
    public static async Task MigrateAsync(IServiceProvider services, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RegistryDb>();
        await db.Database.MigrateAsync(ct);
        if (db.Database.IsSqlite())
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
    }

    /// <summary>For commands run beside the host: bring an embedded (SQLite) database up to date, as the host would.</summary>
    public static async Task MigrateIfEmbeddedAsync(IServiceProvider services)
    {
        if (services.GetRequiredService<Microsoft.Extensions.Options.IOptions<DatabaseOptions>>().Value.ShouldMigrateAtStartup)
            await MigrateAsync(services);
    }

    private static void EnsureSqliteDirectory(string connection)
    {
        var source = new SqliteConnectionStringBuilder(connection).DataSource;
        if (string.IsNullOrEmpty(source) || source == ":memory:" || source.StartsWith("file:", StringComparison.Ordinal)) return;
        var dir = Path.GetDirectoryName(Path.GetFullPath(source));
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
    }
}
