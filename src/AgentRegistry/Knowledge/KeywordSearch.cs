using AgentRegistry.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Knowledge;

/// <summary>
/// Full-text search in the database: FTS5 (BM25) on SQLite, a tsvector column with <c>websearch_to_tsquery</c> and
/// <c>ts_rank</c> on PostgreSQL. The query's words are OR-ed, so a question matches chunks sharing any of its words;
/// ranking puts those sharing more first. Raw SQL escapes the query filters, so tenant and access are in the WHERE.
/// </summary>
internal static class KeywordSearch
{
    public sealed class Hit
    {
        public long Id { get; set; }
        public double Rank { get; set; }
    }

    public static async Task<IReadOnlyList<Hit>> RunAsync(RegistryDb db, Guid tenantId, Guid accessId, string query, int limit, CancellationToken ct)
    {
        var words = Terms.Words(query).Take(32).ToList();
        if (words.Count == 0) return [];
        if (db.Database.IsSqlite())
        {
            var match = string.Join(" OR ", words.Select(w => $"\"{w}\""));
            return await db.Database.SqlQuery<Hit>($"""
                SELECT c."Id" AS "Id", -bm25("DocumentChunksFts") AS "Rank"
                FROM "DocumentChunksFts" JOIN "DocumentChunks" c ON c."Id" = "DocumentChunksFts".rowid
                WHERE "DocumentChunksFts" MATCH {match} AND c."AccessId" = {accessId} AND c."TenantId" = {tenantId}
                ORDER BY bm25("DocumentChunksFts") LIMIT {limit}
                """).ToListAsync(ct);
        }
        var search = string.Join(" or ", words);
        return await db.Database.SqlQuery<Hit>($"""
            SELECT c."Id" AS "Id", ts_rank(c."SearchVector", q)::float8 AS "Rank"
            FROM "DocumentChunks" c, websearch_to_tsquery('english', {search}) q
            WHERE c."SearchVector" @@ q AND c."AccessId" = {accessId} AND c."TenantId" = {tenantId}
            ORDER BY 2 DESC LIMIT {limit}
            """).ToListAsync(ct);
    }
}
