using AgentRegistry.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Knowledge;

/// <summary>A passage found for a query, with the score from each ranking and their fusion.</summary>
/// <param name="VectorScore">Cosine of the chunk's embedding to the query's.</param>
/// <param name="PieceSimilarities">Cosine of each answer piece of the chunk to the query, in the order of
/// <see cref="AnswerText.Pieces"/>; null when the chunk's pieces were not embedded.</param>
public sealed record FoundPassage(long ChunkId, Guid DocumentId, string DocumentTitle, string HeadingPath, string Text,
    float? VectorScore, float? KeywordScore, float FusedScore, IReadOnlyList<float>? PieceSimilarities = null)
{
    /// <summary>The passage as the offline answer composer reads it: text, fused score, source and section, and how close in meaning each piece is.</summary>
    public RetrievedPassage ForAnswer() => new(Text, FusedScore, DocumentTitle, DocumentId.ToString(), HeadingPath, VectorScore ?? 0, PieceSimilarities);
}

/// <summary>How the two rankings are fused; the defaults are the ones tuned on the evaluation set (docs/benchmarks.md).</summary>
/// <param name="Depth">Candidates taken from each ranking before fusion.</param>
/// <param name="FusionK">The constant of reciprocal rank fusion: higher flattens the difference between ranks.</param>
/// <param name="Pieces">Whether the vector ranking scores a chunk by the best of its own and its pieces' cosines (over the
/// candidates of both rankings), so a chunk whose one table row or sentence answers is not drowned by the rest of it.</param>
public sealed record RankingOptions(int Depth = 20, int FusionK = 5, double VectorWeight = 1, double KeywordWeight = 0.5, bool Pieces = true)
{
    public static readonly RankingOptions Default = new();
}

/// <summary>Hybrid retrieval over one access's chunks: MiniLM vectors and a BM25 keyword index, both in memory, fused by rank.</summary>
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

        var queryVector = await embeddings.EmbedAsync(query, ct);
        var vectorHits = collection.Chunks.Search(queryVector, ranking.Pieces ? 2 * depth : depth);
        var keywordHits = collection.Keywords.Search(query, depth);
        var vectorRanking = ranking.Pieces ? ByPieces(collection, queryVector, vectorHits, keywordHits, depth) : vectorHits.Select(h => h.Key).ToArray();
        var fused = ReciprocalRankFusion.Fuse(ranking.FusionK,
                ((IReadOnlyList<long>)vectorRanking, ranking.VectorWeight),
                ((IReadOnlyList<long>)keywordHits.Select(h => h.Key).ToArray(), ranking.KeywordWeight))
            .Take(topK).ToList();
        if (fused.Count == 0) return [];

        var vectorScore = vectorHits.ToDictionary(h => h.Key, h => h.Score);
        var keywordScore = keywordHits.ToDictionary(h => h.Key, h => h.Score);
        var found = fused.Select(f =>
        {
            var r = collection.Passages[f.Key];
            return new FoundPassage(f.Key, r.DocumentId, r.DocumentTitle, r.HeadingPath, r.Body,
                vectorScore.TryGetValue(f.Key, out var v) ? v : null, keywordScore.TryGetValue(f.Key, out var k) ? k : null, f.Score,
                collection.PieceSimilarities(f.Key, queryVector));
        }).ToList();
        knowledge.Remember(query, topK, ranking, found);
        return found;
    }

    /// <summary>
    /// The vector ranking over the candidates of both rankings, each chunk scored by the best of its own cosine and its
    /// pieces': a few hundred dot products, not a sweep of every piece of the access.
    /// </summary>
    private static long[] ByPieces(AccessVectors collection, float[] query, IReadOnlyList<ScoredKey<long>> vectorHits,
        IReadOnlyList<ScoredKey<long>> keywordHits, int depth)
    {
        var scores = new Dictionary<long, float>(vectorHits.Count + keywordHits.Count);
        foreach (var hit in vectorHits) scores[hit.Key] = Math.Max(hit.Score, collection.BestPiece(hit.Key, query) ?? float.MinValue);
        foreach (var hit in keywordHits)
            if (!scores.ContainsKey(hit.Key) && collection.BestPiece(hit.Key, query) is { } piece) scores[hit.Key] = piece;
        return scores.OrderByDescending(s => s.Value).ThenBy(s => s.Key).Take(depth).Select(s => s.Key).ToArray();
    }
}
