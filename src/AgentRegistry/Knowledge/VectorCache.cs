using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using AgentRegistry.Infrastructure;

namespace AgentRegistry.Knowledge;

/// <summary>
/// An access's knowledge as held in memory: its chunk embeddings and keyword index, and the passages recent queries found in them
/// (a question asked again is answered from here, without the model or the keyword index). Both go
/// together when the access's documents change.
/// </summary>
public sealed class CachedKnowledge(int count, long maxId, AccessVectors vectors)
{
    /// <summary>Queries remembered per access; a full memo starts again.</summary>
    private const int MemoCapacity = 4096;

    private readonly ConcurrentDictionary<(string Query, int TopK, RankingOptions Ranking), IReadOnlyList<FoundPassage>> _found = new();

    internal int Count { get; } = count;
    internal long MaxId { get; } = maxId;
    internal long CheckedAt;
    public AccessVectors Vectors { get; } = vectors;

    public bool TryFound(string query, int topK, RankingOptions ranking, out IReadOnlyList<FoundPassage> passages) =>
        _found.TryGetValue((query, topK, ranking), out passages!);

    public void Remember(string query, int topK, RankingOptions ranking, IReadOnlyList<FoundPassage> passages)
    {
        if (_found.Count >= MemoCapacity) _found.Clear();
        _found[(query, topK, ranking)] = passages;
    }
}

/// <summary>
/// Each access's knowledge in memory, loaded from the database on first use. A save that changes one of the access's
/// documents (upload processed, reindexed, deleted; on this replica, or on another with Redis) drops it at once,
/// told by <see cref="CommittedChanges"/>. Every <c>Knowledge:RevalidateSeconds</c> it is checked against the
/// database (the access's chunk count and highest chunk id, one indexed query), so a replica without Redis sees another's
/// change within that time; between checks a search reads nothing to find out.
/// </summary>
public sealed class VectorCache(IOptionsMonitor<KnowledgeOptions> options, TimeProvider clock) : IForgetsChanges
{
    private readonly ConcurrentDictionary<Guid, CachedKnowledge> _entries = new();
    private readonly ConcurrentDictionary<Guid, SemaphoreSlim> _loading = new();

    public async Task<CachedKnowledge> GetAsync(RegistryDb db, Guid accessId, CancellationToken ct)
    {
        var now = clock.GetTimestamp();
        if (_entries.TryGetValue(accessId, out var entry) && !Due(entry, now)) return entry;

        var gate = _loading.GetOrAdd(accessId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            if (_entries.TryGetValue(accessId, out entry) && !Due(entry, now)) return entry;
            var (count, maxId) = await Fingerprint(db, accessId, ct);
            if (entry is not null && entry.Count == count && entry.MaxId == maxId)
            {
                Volatile.Write(ref entry.CheckedAt, now);
                return entry;
            }
            var chunks = new VectorCollection<long>(initialCapacity: Math.Max(16, count));
            var pieces = new Dictionary<long, float[]>(count);
            var texts = new List<(long, string)>(count);
            var passages = new Dictionary<long, ChunkPassage>(count);
            await foreach (var row in db.DocumentChunks.AsNoTracking().Where(c => c.AccessId == accessId)
                               .Join(db.TrainingDocuments, c => c.DocumentId, d => d.Id,
                                   (c, d) => new { c.Id, c.Embedding, c.PieceEmbeddings, c.Text, c.DocumentId, d.Title, c.HeadingPath, c.Body })
                               .AsAsyncEnumerable().WithCancellation(ct))
            {
                chunks.Upsert(row.Id, KnowledgeModels.ToFloats(row.Embedding));
                if (row.PieceEmbeddings is { Length: > 0 } p) pieces[row.Id] = KnowledgeModels.ToFloats(p).ToArray();
                texts.Add((row.Id, row.Text));
                passages[row.Id] = new ChunkPassage(row.DocumentId, row.Title, row.HeadingPath, row.Body);
            }
            entry = new CachedKnowledge(count, maxId, new AccessVectors(chunks, pieces, KeywordIndex.Build(texts), passages)) { CheckedAt = now };
            _entries[accessId] = entry;
            return entry;
        }
        finally
        {
            gate.Release();
        }
    }

    private bool Due(CachedKnowledge entry, long now) =>
        clock.GetElapsedTime(Volatile.Read(ref entry.CheckedAt), now) >= TimeSpan.FromSeconds(options.CurrentValue.RevalidateSeconds);

    public IReadOnlyCollection<Type> Watches { get; } = [typeof(TrainingDocument)];

    /// <summary>Chunks change only in saves that also change their document (processed, deleted), so the document tells.</summary>
    public void Forget(IReadOnlyList<(object Entity, EntityState State)> changed)
    {
        foreach (var (entity, _) in changed)
            if (entity is TrainingDocument d) _entries.TryRemove(d.AccessId, out _);
    }

    private static async Task<(int Count, long MaxId)> Fingerprint(RegistryDb db, Guid accessId, CancellationToken ct)
    {
        var stats = await db.DocumentChunks.Where(c => c.AccessId == accessId)
            .GroupBy(c => 1).Select(g => new { Count = g.Count(), MaxId = g.Max(c => c.Id) }).FirstOrDefaultAsync(ct);
        return stats is null ? (0, 0) : (stats.Count, stats.MaxId);
    }
}

/// <summary>What a search returns of a chunk besides its scores: its document, section and body.</summary>
public sealed record ChunkPassage(Guid DocumentId, string DocumentTitle, string HeadingPath, string Body);

/// <summary>
/// An access's vectors: one per chunk, and the (unit) vectors of each chunk's answer pieces back to back, in the order
/// of <see cref="AnswerText.Pieces"/>; the keyword index of its chunks' words; and each chunk's passage, so a search
/// reads no row.
/// </summary>
public sealed record AccessVectors(VectorCollection<long> Chunks, IReadOnlyDictionary<long, float[]> Pieces, KeywordIndex Keywords,
    IReadOnlyDictionary<long, ChunkPassage> Passages)
{
    public int Count => Chunks.Count;

    /// <summary>The cosine of each of the chunk's pieces to the (unit) query vector; null when its pieces were not embedded.</summary>
    public float[]? PieceSimilarities(long chunkId, ReadOnlySpan<float> query)
    {
        if (!Pieces.TryGetValue(chunkId, out var all)) return null;
        var d = query.Length;
        var sims = new float[all.Length / d];
        for (var i = 0; i < sims.Length; i++) sims[i] = System.Numerics.Tensors.TensorPrimitives.Dot(all.AsSpan(i * d, d), query);
        return sims;
    }

    /// <summary>The best cosine of any of the chunk's pieces to the query; null when its pieces were not embedded.</summary>
    public float? BestPiece(long chunkId, ReadOnlySpan<float> query)
    {
        if (!Pieces.TryGetValue(chunkId, out var all)) return null;
        var d = query.Length;
        var best = float.MinValue;
        for (var i = 0; i + d <= all.Length; i += d) best = Math.Max(best, System.Numerics.Tensors.TensorPrimitives.Dot(all.AsSpan(i, d), query));
        return best == float.MinValue ? null : best;
    }
}
