using AgentRegistry.Access;
using AgentRegistry.Chat;
using AgentRegistry.Infrastructure;
using AgentRegistry.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentRegistry.Tests.Chat;

/// <summary>
/// A cache forgets a change saved inside a transaction when the transaction commits, not at the save: a reader that
/// reloads in between sees the old, still committed rows, and must not keep them once the new ones are committed.
/// </summary>
public abstract class CacheAfterCommitTests(RegistryApp app) : RegistryTest(app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task APersonaSavedInATransactionIsSeenOnceTheTransactionCommits()
    {
        var (access, before) = await SavedInATransactionAsync("Ada after commit", commit: true,
            // A message arriving before the commit reads the persona as committed so far.
            whileOpen: async (personas, access, before) => Assert.Equal(before.DisplayName, (await PersonaAsync(personas, access)).DisplayName));
        Assert.Equal("Ada after commit", (await PersonaAsync(App.Services.GetRequiredService<PersonaCache>(), access)).DisplayName);
    }

    [Fact]
    public async Task ARolledBackChangeLeavesTheCacheRight()
    {
        var (access, before) = await SavedInATransactionAsync("Never committed", commit: false, whileOpen: null);
        Assert.Equal(before.DisplayName, (await PersonaAsync(App.Services.GetRequiredService<PersonaCache>(), access)).DisplayName);
    }

    /// <summary>A new access's persona read (and so cached), then a display name saved in a transaction that ends as told.</summary>
    private async Task<(Guid Access, Persona Before)> SavedInATransactionAsync(string displayName, bool commit,
        Func<PersonaCache, Guid, Persona, Task>? whileOpen)
    {
        var s = await (await Op()).SubscribedTenantAsync();
        var access = Guid.Parse(s.AccessId);
        var personas = App.Services.GetRequiredService<PersonaCache>();
        var before = await PersonaAsync(personas, access);
        await using var writing = App.Services.GetRequiredService<IServiceScopeFactory>().CreateSystemScope("test");
        var db = writing.ServiceProvider.GetRequiredService<RegistryDb>();
        await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var tx = await db.Database.BeginTransactionAsync(Ct);
            db.CustomerConfigurations.Add(new CustomerConfiguration { TenantId = Guid.Parse(s.TenantId), AccessId = access, DisplayName = displayName });
            await db.SaveChangesAsync(Ct);
            if (whileOpen is not null) await whileOpen(personas, access, before);
            if (commit) await tx.CommitAsync(Ct);
            else await tx.RollbackAsync(Ct);
        });
        return (access, before);
    }

    private async Task<Persona> PersonaAsync(PersonaCache personas, Guid access)
    {
        await using var scope = App.Services.GetRequiredService<IServiceScopeFactory>().CreateSystemScope("test");
        return await personas.GetAsync(scope.ServiceProvider.GetRequiredService<RegistryDb>(), access, Ct);
    }
}

public sealed class CacheAfterCommitOnSqlite(RegistryApp<Sqlite> app) : CacheAfterCommitTests(app), IClassFixture<RegistryApp<Sqlite>>;

public sealed class CacheAfterCommitOnPostgres(RegistryApp<Postgres> app) : CacheAfterCommitTests(app), IClassFixture<RegistryApp<Postgres>>;
