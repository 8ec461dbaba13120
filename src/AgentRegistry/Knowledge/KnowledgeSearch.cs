using AgentRegistry.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Knowledge;

/// <summary>A passage found for a query, with the score from each ranking and their fusion.</summary>
public sealed record FoundPassage(long ChunkId, Guid DocumentId, string DocumentTitle, string HeadingPath, string Text,
    float? VectorScore, float? KeywordScore, float FusedScore)
{
    /// <summary>The passage as the offline answer composer reads it: text, fused score, source and section.</summary>
    public RetrievedPassage ForAnswer() => new(Text, FusedScore, DocumentTitle, DocumentId.ToString(), HeadingPath, VectorScore ?? 0);
}

/// <summary>How the two rankings are fused; the defaults are the ones tuned on the evaluation set (docs/benchmarks.md).</summary>
/// <param name="Depth">Candidates taken from each ranking before fusion.</param>
/// <param name="FusionK">The constant of reciprocal rank fusion: higher flattens the difference between ranks.</param>
public sealed record RankingOptions(int Depth = 20, int FusionK = 60, double VectorWeight = 1, double KeywordWeight = 1)
{
    public static readonly RankingOptions Default = new();
}

/// <summary>Hybrid retrieval over one access's chunks: MiniLM vectors in memory plus the database's full-text index, fused by rank.</summary>
public sealed class KnowledgeSearch(RegistryDb db, VectorCache vectors, QueryEmbeddings embeddings)
{
    public Task<IReadOnlyList<FoundPassage>> SearchAsync(Guid tenantId, Guid accessId, string query, int topK, CancellationToken ct) =>
        SearchAsync(tenantId, accessId, query, topK, RankingOptions.Default, ct);

    public async Task<IReadOnlyList<FoundPassage>> SearchAsync(Guid tenantId, Guid accessId, string query, int topK, RankingOptions ranking,
        CancellationToken ct)
    {
        var depth = ranking.Depth;
        var knowledge = await vectors.GetAsync(db, accessId, ct);
        var collection = knowledge.Vectors;
        if (collection.Count == 0 || string.IsNullOrWhiteSpace(query)) return [];
        if (knowledge.TryFound(query, topK, ranking, out var known)) return known;

        var vectorHits = collection.Search(await embeddings.EmbedAsync(query, ct), depth);
        var keywordHits = await KeywordSearch.RunAsync(db, tenantId, accessId, query, depth, ct);
        var fused = ReciprocalRankFusion.Fuse(ranking.FusionK,
                ((IReadOnlyList<long>)vectorHits.Select(h => h.Key).ToArray(), ranking.VectorWeight),
                ((IReadOnlyList<long>)keywordHits.Select(h => h.Id).ToArray(), ranking.KeywordWeight))
            .Take(topK).ToList();
        if (fused.Count == 0) return [];

        var ids = fused.Select(f => f.Key).ToList();
        var rows = await db.DocumentChunks.AsNoTracking().Where(c => ids.Contains(c.Id))
            .Join(db.TrainingDocuments, c => c.DocumentId, d => d.Id,
                (c, d) => new { c.Id, c.DocumentId, d.Title, c.HeadingPath, c.Body })
            .ToDictionaryAsync(r => r.Id, ct);
        var vectorScore = vectorHits.ToDictionary(h => h.Key, h => h.Score);
        var keywordScore = keywordHits.ToDictionary(h => h.Id, h => (float)h.Rank);
        var found = fused.Where(f => rows.ContainsKey(f.Key)).Select(f =>
        {
            var r = rows[f.Key];
            return new FoundPassage(r.Id, r.DocumentId, r.Title, r.HeadingPath, r.Body,
                vectorScore.TryGetValue(r.Id, out var v) ? v : null, keywordScore.TryGetValue(r.Id, out var k) ? k : null, f.Score);
        }).ToList();
        knowledge.Remember(query, topK, ranking, found);
        return found;
    }
}
