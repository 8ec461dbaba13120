using AgentRegistry.Infrastructure;
using AgentRegistry.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace AgentRegistry.Tests.Knowledge;

/// <summary>
/// The database-side keyword indexes (SQLite's FTS5 table with its triggers, PostgreSQL's generated tsvector column with its
/// GIN index) are searched by nothing since keyword ranking moved into memory (ADR 0012); a migration drops them, so a chunk
/// write no longer maintains them. A database made by the previous schema loses them, and its chunks can still be written.
/// </summary>
public abstract class KeywordTablesMigrationTests
{
    private const string Previous = "PieceEmbeddings";

    /// <summary>An empty database on one connection held open, with foreign keys not enforced.</summary>
    protected abstract Task<RegistryDb> CreateAsync();

    /// <summary>The names of the database-side keyword objects present: tables, triggers, columns, indexes.</summary>
    protected abstract Task<IReadOnlyList<string>> KeywordObjectsAsync(RegistryDb db);

    [Fact]
    public async Task ADatabaseOfThePreviousSchemaLosesItsDatabaseKeywordIndexAndStillTakesChunks()
    {
        await using var db = await CreateAsync();
        var ct = TestContext.Current.CancellationToken;
        var migrator = db.GetService<IMigrator>();
        await migrator.MigrateAsync(db.Database.GetMigrations().Last(m => m.EndsWith("_" + Previous, StringComparison.Ordinal)), ct);
        Assert.NotEmpty(await KeywordObjectsAsync(db));
        var access = await SeedChunkAsync(db, "Refunds are paid within 14 days.", ct);

        await migrator.MigrateAsync(cancellationToken: ct);

        Assert.Empty(await KeywordObjectsAsync(db));
        Assert.Empty(await db.Database.GetPendingMigrationsAsync(ct));
        // Writes that fired the old triggers or recomputed the generated column: insert, update, delete.
        await db.Database.ExecuteSqlAsync($"""INSERT INTO "DocumentChunks" ("TenantId", "DocumentId", "AccessId", "Ordinal", "HeadingPath", "Text", "Body", "TokenCount", "Embedding") SELECT "TenantId", "DocumentId", "AccessId", 1, '', 'Shipping takes two days.', 'Shipping takes two days.', 5, "Embedding" FROM "DocumentChunks" WHERE "AccessId" = {access}""", ct);
        await db.Database.ExecuteSqlAsync($"""UPDATE "DocumentChunks" SET "Text" = 'Refunds are paid within 10 days.' WHERE "Ordinal" = 0 AND "AccessId" = {access}""", ct);
        await db.Database.ExecuteSqlAsync($"""DELETE FROM "DocumentChunks" WHERE "Ordinal" = 1 AND "AccessId" = {access}""", ct);
        Assert.Equal(["Refunds are paid within 10 days."],
            await db.Database.SqlQuery<string>($"""SELECT "Text" AS "Value" FROM "DocumentChunks" WHERE "AccessId" = {access}""").ToListAsync(ct));

        // And back: the previous schema's objects come back, rebuilt over the chunks there are.
        await migrator.MigrateAsync(db.Database.GetMigrations().Last(m => m.EndsWith("_" + Previous, StringComparison.Ordinal)), ct);
        Assert.NotEmpty(await KeywordObjectsAsync(db));
    }

    /// <summary>
    /// One chunk, written as the previous schema takes it (its triggers fire, its generated column is computed). The rows it
    /// refers to do not matter here: the connection is held open with foreign keys not enforced (<see cref="CreateAsync"/>).
    /// </summary>
    private static async Task<Guid> SeedChunkAsync(RegistryDb db, string text, CancellationToken ct)
    {
        var (tenant, access, document) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await db.Database.ExecuteSqlAsync($"""INSERT INTO "DocumentChunks" ("TenantId", "DocumentId", "AccessId", "Ordinal", "HeadingPath", "Text", "Body", "TokenCount", "Embedding") VALUES ({tenant}, {document}, {access}, 0, '', {text}, {text}, 8, {new byte[16]})""", ct);
        return access;
    }

    protected static T WithCaller<T>(T db) where T : RegistryDb
    {
        db.Caller = new Caller(new HttpContextAccessor());
        return db;
    }
}

public sealed class KeywordTablesMigrationOnSqlite : KeywordTablesMigrationTests, IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"agentregistry-fts-{Guid.NewGuid():N}.db");

    protected override async Task<RegistryDb> CreateAsync()
    {
        var db = WithCaller(new SqliteRegistryDb(new DbContextOptionsBuilder<SqliteRegistryDb>().UseSqlite($"Data Source={_file};Foreign Keys=False").Options));
        await db.Database.OpenConnectionAsync();
        return db;
    }

    protected override async Task<IReadOnlyList<string>> KeywordObjectsAsync(RegistryDb db) =>
        await db.Database.SqlQuery<string>($"""
            SELECT "name" AS "Value" FROM sqlite_master WHERE "name" LIKE 'DocumentChunksFts%' OR "name" IN ('DocumentChunks_ai', 'DocumentChunks_ad', 'DocumentChunks_au')
            """).ToListAsync();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        File.Delete(_file);
    }
}

public sealed class KeywordTablesMigrationOnPostgres : KeywordTablesMigrationTests, IAsyncDisposable
{
    private string? _database;

    protected override async Task<RegistryDb> CreateAsync()
    {
        var (database, unavailable) = await PostgresServer.CreateDatabaseAsync();
        if (unavailable is not null) Requirement.Missing(unavailable);
        _database = database;
        var db = WithCaller(new PostgresRegistryDb(new DbContextOptionsBuilder<PostgresRegistryDb>().UseNpgsql(PostgresServer.ConnectionString(database!)).Options));
        await db.Database.OpenConnectionAsync();
        await db.Database.ExecuteSqlRawAsync("SET session_replication_role = replica");
        return db;
    }

    protected override async Task<IReadOnlyList<string>> KeywordObjectsAsync(RegistryDb db) =>
        await db.Database.SqlQuery<string>($"""
            SELECT column_name::text AS "Value" FROM information_schema.columns WHERE table_name = 'DocumentChunks' AND column_name = 'SearchVector'
            UNION ALL SELECT indexname::text FROM pg_indexes WHERE indexname = 'IX_DocumentChunks_SearchVector'
            """).ToListAsync();

    public async ValueTask DisposeAsync()
    {
        if (_database is not null) await PostgresServer.DropDatabaseAsync(_database);
    }
}
