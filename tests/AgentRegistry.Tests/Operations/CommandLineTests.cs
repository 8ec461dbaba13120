using AgentRegistry.Cli;
using Microsoft.Data.Sqlite;

namespace AgentRegistry.Tests.Operations;

public sealed class CommandLineTests
{
    [Fact]
    public async Task MigrateCreatesTheSchemaOfAFreshDatabase()
    {
        var file = Path.Combine(Path.GetTempPath(), $"agentregistry-migrate-{Guid.NewGuid():N}.db");
        try
        {
            var exit = await CommandLine.RunAsync(["migrate", "--Database:Provider=Sqlite", $"--Database:ConnectionString=Data Source={file}"]);
            Assert.Equal(0, exit);
            await using var connection = new SqliteConnection($"Data Source={file}");
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var command = new SqliteCommand("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('Agents', 'ApiKeys', 'UsageRecords')", connection);
            Assert.Equal(3L, (long)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(file);
        }
    }

    [Fact]
    public async Task PostgresWithoutConnectionStringFailsWithAClearMessage()
    {
        var error = new StringWriter();
        Assert.Equal(1, await CommandLine.RunAsync(["migrate", "--Database:Provider=Postgres"], TextWriter.Null, error));
        Assert.Contains("Database:ConnectionString is required", error.ToString());
    }

    [Fact]
    public void OnlyKnownCommandsAreCommands()
    {
        Assert.True(CommandLine.IsCommand(["migrate"]));
        Assert.False(CommandLine.IsCommand([]));
        Assert.False(CommandLine.IsCommand(["--urls", "http://127.0.0.1:5000"]));
    }
}
