using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace AgentRegistry.Infrastructure;

public sealed class SqliteRegistryDb : RegistryDb
{
    /// <summary>For the context pool, which gives each rented context its scope's caller.</summary>
    public SqliteRegistryDb(DbContextOptions<SqliteRegistryDb> options) : base(options) { }
}

public sealed class PostgresRegistryDb : RegistryDb
{
    /// <summary>For the context pool, which gives each rented context its scope's caller.</summary>
    public PostgresRegistryDb(DbContextOptions<PostgresRegistryDb> options) : base(options) { }
}

/// <summary>Used by <c>dotnet ef migrations add</c> only.</summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteRegistryDb>
{
    public SqliteRegistryDb CreateDbContext(string[] args) => new(
        new DbContextOptionsBuilder<SqliteRegistryDb>().UseSqlite("Data Source=design.db").Options) { Caller = new Caller(new HttpContextAccessor()) };
}

/// <summary>Used by <c>dotnet ef migrations add</c> only.</summary>
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresRegistryDb>
{
    public PostgresRegistryDb CreateDbContext(string[] args) => new(
        new DbContextOptionsBuilder<PostgresRegistryDb>().UseNpgsql("Host=localhost;Database=design").Options) { Caller = new Caller(new HttpContextAccessor()) };
}
