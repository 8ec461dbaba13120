using Npgsql;

namespace AgentRegistry.Tests.Infrastructure;

/// <summary>
/// The PostgreSQL server the suite uses: AGENTREGISTRY_TEST_POSTGRES (a connection string to a role
/// that may create databases), or postgres/postgres on 127.0.0.1 as .ci/run sets it up.
/// Each app gets a database of its own. Only an unconfigured server that cannot be reached makes the suites skip
/// (<see cref="Requirement"/>); an error the server answers with (authentication, permission) always fails them.
/// </summary>
public static class PostgresServer
{
    public const string Variable = "AGENTREGISTRY_TEST_POSTGRES";

    private static readonly string Admin = Environment.GetEnvironmentVariable(Variable)
        ?? "Host=127.0.0.1;Port=5432;Username=postgres;Password=postgres;Timeout=3";

    public static string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder(Admin) { Database = database, Pooling = true }.ConnectionString;

    public static Task<(string? Database, string? Unavailable)> CreateDatabaseAsync() =>
        CreateDatabaseAsync(Admin, Requirement.Configured(Variable));

    /// <summary>
    /// A new database on the server <paramref name="admin"/> reaches, or why the server is not there: only when it is
    /// not <paramref name="configured"/> and cannot be reached. Anything else throws.
    /// </summary>
    public static async Task<(string? Database, string? Unavailable)> CreateDatabaseAsync(string admin, bool configured)
    {
        var name = $"ar_test_{Guid.NewGuid():N}";
        try
        {
            await using var connection = new NpgsqlConnection(admin);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
            return (name, null);
        }
        catch (Exception e) when (!configured && e is not PostgresException && e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            return (null, $"PostgreSQL is not reachable ({e.Message}); set AGENTREGISTRY_TEST_POSTGRES or run .ci/run.");
        }
    }

    public static async Task DropDatabaseAsync(string name)
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(Admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
