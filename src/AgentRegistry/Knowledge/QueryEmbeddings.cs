using System.Collections.Concurrent;
using AgentRegistry.Infrastructure;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Memory;

namespace AgentRegistry.Knowledge;

/// <summary>
/// Embeddings of chat questions. The query embedding is most of a new question's CPU time, so:
/// <list type="bullet">
/// <item>remembered: visitors ask the same few questions over and over (10,000 questions, about 15 MB; the least
/// recently used go first);</item>
/// <item>batched: the questions that arrive while the model is busy are embedded together in its next run, which costs
/// about a third of the CPU per question of one run each (bench/Knowledge.Bench `embed`: 8.8 ms one at a time, 3.3 ms
/// in batches of 8 or more, on two cores);</item>
/// <item>shared: the same new question asked by several visitors at once is embedded once.</item>
/// </list>
/// </summary>
public sealed class QueryEmbeddings(IEmbeddingGenerator<string, Embedding<float>> embeddings, ILogger<QueryEmbeddings> log)
    : GroupCommit<string, float[]>(MaxBatch, log)
{
    /// <summary>Questions in one model run at most (the run's cost per question stops falling at about 8).</summary>
    public const int MaxBatch = 32;

    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = 10_000, CompactionPercentage = 0.2 });
    private readonly ConcurrentDictionary<string, Lazy<Task<float[]>>> _embedding = new(StringComparer.Ordinal);

    protected override string What => "question embeddings";

    public ValueTask<float[]> EmbedAsync(string query, CancellationToken ct)
    {
        var key = query.Trim().ToLowerInvariant();
        if (_cache.TryGetValue(key, out float[]? cached) && cached is not null) return ValueTask.FromResult(cached);
        var embedding = _embedding.GetOrAdd(key, static (key, state) => new Lazy<Task<float[]>>(
            () => state.self.EmbedOnceAsync(key, state.query)), (self: this, query: query.Trim()));
        return new ValueTask<float[]>(embedding.Value.WaitAsync(ct));
    }

    private async Task<float[]> EmbedOnceAsync(string key, string query)
    {
        try
        {
            var vector = await WriteAsync(query);
            _cache.Set(key, vector, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = TimeSpan.FromHours(1) });
            return vector;
        }
        finally
        {
            _embedding.TryRemove(key, out _);
        }
    }

    protected override async Task<IReadOnlyList<float[]>> SaveAsync(IReadOnlyList<string> items)
    {
        var generated = await embeddings.GenerateAsync(items);
        return generated.Select(e => e.Vector.ToArray()).ToArray();
    }

    protected override ValueTask DisposeCoreAsync()
    {
        _cache.Dispose();
        return default;
    }
}
