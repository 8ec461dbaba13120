namespace AgentRegistry.Infrastructure;

public enum DatabaseProvider { Sqlite, Postgres }

public sealed class DatabaseOptions
{
    public const string Section = "Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Defaults to a SQLite file under ./data/ when empty.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Apply migrations when the host starts. Defaults to true on SQLite, false on PostgreSQL
    /// (run <c>agentregistry migrate</c> as a separate step there).</summary>
    public bool? MigrateAtStartup { get; set; }

    public string EffectiveConnectionString => string.IsNullOrWhiteSpace(ConnectionString)
        ? Provider == DatabaseProvider.Sqlite
            ? $"Data Source={Path.Combine("data", "agentregistry.db")}"
            : throw new InvalidOperationException("Database:ConnectionString is required when Database:Provider is Postgres.")
        : ConnectionString;

    public bool ShouldMigrateAtStartup => MigrateAtStartup ?? Provider == DatabaseProvider.Sqlite;
}
