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

    private sealed record Entry(int Count, long MaxId, VectorCollection<long> Vectors);

    public async Task<VectorCollection<long>> GetAsync(RegistryDb db, Guid accessId, CancellationToken ct)
    {
        var (count, maxId) = await Fingerprint(db, accessId, ct);
        if (_entries.TryGetValue(accessId, out var entry) && entry.Count == count && entry.MaxId == maxId) return entry.Vectors;

        var gate = _loading.GetOrAdd(accessId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            (count, maxId) = await Fingerprint(db, accessId, ct);
            if (_entries.TryGetValue(accessId, out entry) && entry.Count == count && entry.MaxId == maxId) return entry.Vectors;
            var vectors = new VectorCollection<long>(initialCapacity: Math.Max(16, count));
            await foreach (var row in db.DocumentChunks.AsNoTracking().Where(c => c.AccessId == accessId)
                               .Select(c => new { c.Id, c.Embedding }).AsAsyncEnumerable().WithCancellation(ct))
                vectors.Upsert(row.Id, KnowledgeModels.ToFloats(row.Embedding));
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
