using AgentRegistry.Tests.Infrastructure;
using Npgsql;

namespace AgentRegistry.Tests.Operations;

/// <summary>
/// The suite skips only what is not configured here: a PostgreSQL that refuses the sign-in, or a browser that does not
/// start, fails the tests that need them instead of hiding behind a skip.
/// </summary>
public sealed class TestEnvironmentTests
{
    [Fact]
    public async Task APostgresServerThatRefusesTheSignInFailsInsteadOfSkipping()
    {
        var (database, unavailable) = await PostgresServer.CreateDatabaseAsync();
        if (unavailable is not null) Requirement.Missing(unavailable);
        await PostgresServer.DropDatabaseAsync(database!);
        var admin = Environment.GetEnvironmentVariable(PostgresServer.Variable) ?? "Host=127.0.0.1;Port=5432;Username=postgres;Password=postgres";
        var wrong = new NpgsqlConnectionStringBuilder(admin) { Password = $"wrong-{Guid.NewGuid():N}" }.ConnectionString;

        // Even when nobody configured the server: it answered, so it is there, and its refusal is an error.
        var refused = await Assert.ThrowsAsync<PostgresException>(() => PostgresServer.CreateDatabaseAsync(wrong, configured: false));
        Assert.Equal(PostgresErrorCodes.InvalidPassword, refused.SqlState);
    }

    [Fact]
    public async Task AnUnreachablePostgresServerSkipsOnlyWhenNobodyConfiguredIt()
    {
        const string nowhere = "Host=127.0.0.1;Port=9;Username=postgres;Password=postgres;Timeout=3";
        var (database, unavailable) = await PostgresServer.CreateDatabaseAsync(nowhere, configured: false);
        Assert.Null(database);
        Assert.Contains("not reachable", unavailable);
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => PostgresServer.CreateDatabaseAsync(nowhere, configured: true));
    }

    [Fact]
    public async Task ABrowserThatDoesNotStartFailsTheBrowserTestsInsteadOfSkippingThem()
    {
        var broken = new Chromium("/bin/false");
        await broken.InitializeAsync();
        try
        {
            Assert.Null(broken.Unavailable);
            var failure = Assert.Throws<InvalidOperationException>(broken.RequireAvailable);
            Assert.Contains("did not start", failure.Message);
        }
        finally { await broken.DisposeAsync(); }
    }
}
