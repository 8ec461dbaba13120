using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace AgentRegistry.Infrastructure;

public sealed class SqliteRegistryDb(DbContextOptions<SqliteRegistryDb> options, Caller caller, TimeProvider? clock = null) : RegistryDb(options, caller, clock);

public sealed class PostgresRegistryDb(DbContextOptions<PostgresRegistryDb> options, Caller caller, TimeProvider? clock = null) : RegistryDb(options, caller, clock);

/// <summary>Used by <c>dotnet ef migrations add</c> only.</summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteRegistryDb>
{
    public SqliteRegistryDb CreateDbContext(string[] args) => new(
        new DbContextOptionsBuilder<SqliteRegistryDb>().UseSqlite("Data Source=design.db").Options,
        new Caller(new HttpContextAccessor()));
}

/// <summary>Used by <c>dotnet ef migrations add</c> only.</summary>
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresRegistryDb>
{
    public PostgresRegistryDb CreateDbContext(string[] args) => new(
        new DbContextOptionsBuilder<PostgresRegistryDb>().UseNpgsql("Host=localhost;Database=design").Options,
        new Caller(new HttpContextAccessor()));
}
