using AgentRegistry.Access;
using AgentRegistry.Infrastructure;
using AgentRegistry.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentRegistry.Tests.Operations;

/// <summary>
/// On PostgreSQL the registry's connections prepare the statements it runs over and over, so the server does not parse
/// and plan a chat message's queries every time; an operator's explicit "Max Auto Prepare" is kept.
/// </summary>
public sealed class PreparedStatementsOnPostgres(RegistryApp<Postgres> app) : RegistryTest(app), IClassFixture<RegistryApp<Postgres>>
{
    [Fact]
    public async Task AQueryRunAgainIsPreparedOnTheServer()
    {
        var s = await (await Op()).SubscribedTenantAsync();
        var access = Guid.Parse(s.AccessId);
        await using var scope = App.Services.GetRequiredService<IServiceScopeFactory>().CreateSystemScope("test");
        var db = scope.ServiceProvider.GetRequiredService<RegistryDb>();
        await db.Database.OpenConnectionAsync(TestContext.Current.CancellationToken);
        for (var i = 0; i < 3; i++)
            Assert.NotNull(await db.Accesses.AsNoTracking().FirstOrDefaultAsync(a => a.Id == access, TestContext.Current.CancellationToken));

        // pg_prepared_statements lists the statements prepared in this session (this connection) only.
        var prepared = await db.Database.SqlQueryRaw<string>("SELECT statement AS \"Value\" FROM pg_prepared_statements")
            .ToListAsync(TestContext.Current.CancellationToken);
        Assert.Contains(prepared, p => p.Contains("agent_accesses", StringComparison.OrdinalIgnoreCase) || p.Contains("\"Accesses\"", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Host=db;Database=r;Max Auto Prepare=0", "Max Auto Prepare=0")]
    [InlineData("Host=db;Database=r;maxautoprepare=5", "maxautoprepare=5")]
    public void AnOperatorsChoiceIsKept(string given, string kept) =>
        Assert.Contains(kept, DatabaseSetup.WithPostgresDefaults(given), StringComparison.Ordinal);

    [Fact]
    public void UnsetItIsTurnedOn() =>
        Assert.Contains("Max Auto Prepare=64", DatabaseSetup.WithPostgresDefaults("Host=db;Database=r"), StringComparison.Ordinal);
}
