using System.Collections.Concurrent;

namespace AgentRegistry.Knowledge;

/// <summary>One <see cref="VectorCollection{TKey}"/> per collection (per agent access), created on first use.</summary>
public sealed class VectorIndex<TCollection, TKey>(int dimensions = MiniLmEmbeddingGenerator.Dimensions)
    where TCollection : notnull
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TCollection, VectorCollection<TKey>> _collections = new();

    public int Dimensions => dimensions;

    public VectorCollection<TKey> GetOrCreate(TCollection collection) =>
        _collections.GetOrAdd(collection, static (_, d) => new VectorCollection<TKey>(d), dimensions);

    public bool TryGet(TCollection collection, out VectorCollection<TKey> vectors) =>
        _collections.TryGetValue(collection, out vectors!);

    public bool Drop(TCollection collection) => _collections.TryRemove(collection, out _);

    public IReadOnlyList<ScoredKey<TKey>> Search(TCollection collection, ReadOnlySpan<float> query, int k) =>
        _collections.TryGetValue(collection, out var vectors) ? vectors.Search(query, k) : [];
}
