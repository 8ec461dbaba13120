using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Memory;

namespace AgentRegistry.Knowledge;

/// <summary>
/// Embeddings of chat questions, remembered: visitors ask the same few questions over and over, and the
/// query embedding is most of a chat message's CPU time (about 11 of 15 ms on two cores). Bounded to
/// 10,000 questions (about 15 MB); the least recently used go first.
/// </summary>
public sealed class QueryEmbeddings(IEmbeddingGenerator<string, Embedding<float>> embeddings) : IDisposable
{
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = 10_000, CompactionPercentage = 0.2 });

    public async Task<float[]> EmbedAsync(string query, CancellationToken ct)
    {
        var key = query.Trim().ToLowerInvariant();
        if (_cache.TryGetValue(key, out float[]? cached) && cached is not null) return cached;
        var vector = await embeddings.EmbedAsync(query, ct);
        _cache.Set(key, vector, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = TimeSpan.FromHours(1) });
        return vector;
    }

    public void Dispose() => _cache.Dispose();
}
