using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using AgentRegistry.Infrastructure;

namespace AgentRegistry.Knowledge;

/// <summary>
/// Each access's chunk embeddings in memory, loaded from the database on first use. Before a search the cache compares
/// the access's chunk count and highest chunk id with the database (one indexed query): any upload, reindex or delete,
/// on this replica or another, changes them, and the access is reloaded.
/// </summary>
public sealed class VectorCache
{
    private readonly ConcurrentDictionary<Guid, Entry> _entries = new();
    private readonly ConcurrentDictionary<Guid, SemaphoreSlim> _loading = new();

    private sealed record Entry(int Count, long MaxId, AccessVectors Vectors);

    public async Task<AccessVectors> GetAsync(RegistryDb db, Guid accessId, CancellationToken ct)
    {
        var (count, maxId) = await Fingerprint(db, accessId, ct);
        if (_entries.TryGetValue(accessId, out var entry) && entry.Count == count && entry.MaxId == maxId) return entry.Vectors;

        var gate = _loading.GetOrAdd(accessId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            (count, maxId) = await Fingerprint(db, accessId, ct);
            if (_entries.TryGetValue(accessId, out entry) && entry.Count == count && entry.MaxId == maxId) return entry.Vectors;
            var chunks = new VectorCollection<long>(initialCapacity: Math.Max(16, count));
            var pieces = new Dictionary<long, float[]>(count);
            await foreach (var row in db.DocumentChunks.AsNoTracking().Where(c => c.AccessId == accessId)
                               .Select(c => new { c.Id, c.Embedding, c.PieceEmbeddings }).AsAsyncEnumerable().WithCancellation(ct))
            {
                chunks.Upsert(row.Id, KnowledgeModels.ToFloats(row.Embedding));
                if (row.PieceEmbeddings is { Length: > 0 } p) pieces[row.Id] = KnowledgeModels.ToFloats(p).ToArray();
            }
            var vectors = new AccessVectors(chunks, pieces);
            _entries[accessId] = new Entry(count, maxId, vectors);
            return vectors;
        }
        finally
        {
            gate.Release();
        }
    }

    public void Forget(Guid accessId) => _entries.TryRemove(accessId, out _);

    private static async Task<(int Count, long MaxId)> Fingerprint(RegistryDb db, Guid accessId, CancellationToken ct)
    {
        var stats = await db.DocumentChunks.Where(c => c.AccessId == accessId)
            .GroupBy(c => 1).Select(g => new { Count = g.Count(), MaxId = g.Max(c => c.Id) }).FirstOrDefaultAsync(ct);
        return stats is null ? (0, 0) : (stats.Count, stats.MaxId);
    }
}

/// <summary>
/// An access's vectors: one per chunk, and the (unit) vectors of each chunk's answer pieces back to back, in the order
/// of <see cref="AnswerText.Pieces"/>.
/// </summary>
public sealed record AccessVectors(VectorCollection<long> Chunks, IReadOnlyDictionary<long, float[]> Pieces)
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
