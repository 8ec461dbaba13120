using AgentRegistry.Infrastructure;

namespace AgentRegistry.Tests.Infrastructure;

/// <summary>
/// The database one test registry runs on: made for it, dropped after it. Fixtures take it as a type parameter
/// (<c>RegistryApp&lt;Sqlite&gt;</c>, <c>WaldurRegistry&lt;Postgres&gt;</c>), so each scenario is declared once.
/// </summary>
public abstract class TestDatabase
{
    public abstract DatabaseProvider Provider { get; }

    /// <summary>The connection string of a new, empty database, or why there is none here (the suite then skips).</summary>
    public abstract Task<(string? Connection, string? Unavailable)> CreateAsync();

    /// <summary>Removes what <see cref="CreateAsync"/> made; called once the registry on it has stopped.</summary>
    public abstract Task DropAsync();
}

/// <summary>A SQLite file of its own in the temporary directory.</summary>
public sealed class Sqlite : TestDatabase
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"agentregistry-test-{Guid.NewGuid():N}.db");

    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    public override Task<(string? Connection, string? Unavailable)> CreateAsync() =>
        Task.FromResult<(string?, string?)>(($"Data Source={_file}", null));

    public override Task DropAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
            if (File.Exists(_file + suffix)) File.Delete(_file + suffix);
        return Task.CompletedTask;
    }
}

/// <summary>A database of its own on the suite's PostgreSQL server (<see cref="PostgresServer"/>).</summary>
public sealed class Postgres : TestDatabase
{
    private string? _name;

    public override DatabaseProvider Provider => DatabaseProvider.Postgres;

    public override async Task<(string? Connection, string? Unavailable)> CreateAsync()
    {
        (_name, var unavailable) = await PostgresServer.CreateDatabaseAsync();
        return (_name is null ? null : PostgresServer.ConnectionString(_name), unavailable);
    }

    public override Task DropAsync() => _name is null ? Task.CompletedTask : PostgresServer.DropDatabaseAsync(_name);
}

/// <summary>Another registry's database, e.g. for a second replica: used as it is and left to its owner to drop.</summary>
public sealed class SharedDatabase(DatabaseProvider provider, string connection) : TestDatabase
{
    public override DatabaseProvider Provider => provider;
    public override Task<(string? Connection, string? Unavailable)> CreateAsync() => Task.FromResult<(string?, string?)>((connection, null));
    public override Task DropAsync() => Task.CompletedTask;
}
