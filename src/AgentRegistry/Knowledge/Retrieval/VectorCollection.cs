using System.Buffers;
using System.Numerics.Tensors;

namespace AgentRegistry.Knowledge;

/// <summary>
/// The unit vectors of one collection (one agent access's chunks) in one contiguous float[], so a search is a linear
/// sweep of SIMD dot products over cache-friendly memory. Vectors are normalized on insert, making dot = cosine.
/// Thread-safe: many concurrent searches, writers exclusive.
/// </summary>
public sealed class VectorCollection<TKey>(int dimensions = MiniLmEmbeddingGenerator.Dimensions, int initialCapacity = 256)
    where TKey : notnull
{
    private readonly ReaderWriterLockSlim _lock = new();
    private readonly Dictionary<TKey, int> _slots = [];
    private float[] _vectors = new float[dimensions * Math.Max(1, initialCapacity)];
    private TKey[] _keys = new TKey[Math.Max(1, initialCapacity)];
    private int _count;

    public int Dimensions => dimensions;

    public int Count
    {
        get
        {
            _lock.EnterReadLock();
            try { return _count; }
            finally { _lock.ExitReadLock(); }
        }
    }

    public void Upsert(TKey key, ReadOnlySpan<float> vector)
    {
        if (vector.Length != dimensions)
        {
            throw new ArgumentException($"Expected {dimensions} dimensions, got {vector.Length}.", nameof(vector));
        }

        _lock.EnterWriteLock();
        try
        {
            if (!_slots.TryGetValue(key, out var slot))
            {
                slot = _count++;
                EnsureCapacity(_count);
                _slots[key] = slot;
                _keys[slot] = key;
            }

            var target = _vectors.AsSpan(slot * dimensions, dimensions);
            vector.CopyTo(target);
            var norm = TensorPrimitives.Norm(target);
            if (norm > 0)
            {
                TensorPrimitives.Divide(target, norm, target);
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    public bool Remove(TKey key) => RemoveWhere(k => EqualityComparer<TKey>.Default.Equals(k, key)) > 0;

    /// <summary>Removes matching keys (e.g. every chunk of a deleted document) by moving the last vector into each hole.</summary>
    public int RemoveWhere(Func<TKey, bool> predicate)
    {
        _lock.EnterWriteLock();
        try
        {
            var removed = 0;
            for (var slot = _count - 1; slot >= 0; slot--)
            {
                if (!predicate(_keys[slot]))
                {
                    continue;
                }

                _slots.Remove(_keys[slot]);
                var last = --_count;
                if (slot != last)
                {
                    _vectors.AsSpan(last * dimensions, dimensions).CopyTo(_vectors.AsSpan(slot * dimensions, dimensions));
                    _keys[slot] = _keys[last];
                    _slots[_keys[slot]] = slot;
                }

                _keys[last] = default!;
                removed++;
            }

            return removed;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>The <paramref name="k"/> nearest keys by cosine similarity, best first.</summary>
    public IReadOnlyList<ScoredKey<TKey>> Search(ReadOnlySpan<float> query, int k, float minScore = float.NegativeInfinity)
    {
        if (query.Length != dimensions)
        {
            throw new ArgumentException($"Expected {dimensions} dimensions, got {query.Length}.", nameof(query));
        }

        if (k <= 0)
        {
            return [];
        }

        var rented = ArrayPool<float>.Shared.Rent(dimensions);
        var unit = rented.AsSpan(0, dimensions);
        query.CopyTo(unit);
        var norm = TensorPrimitives.Norm(unit);
        if (norm > 0)
        {
            TensorPrimitives.Divide(unit, norm, unit);
        }

        _lock.EnterReadLock();
        try
        {
            var top = new TopK(Math.Min(k, Math.Max(1, _count)));
            ReadOnlySpan<float> all = _vectors.AsSpan(0, _count * dimensions);
            for (var slot = 0; slot < _count; slot++)
            {
                var score = TensorPrimitives.Dot(all.Slice(slot * dimensions, dimensions), unit);
                if (score >= minScore)
                {
                    top.Offer(slot, score);
                }
            }

            return top.Drain().Select(hit => new ScoredKey<TKey>(_keys[hit.Slot], hit.Score)).ToArray();
        }
        finally
        {
            _lock.ExitReadLock();
            ArrayPool<float>.Shared.Return(rented);
        }
    }

    private void EnsureCapacity(int count)
    {
        if (count <= _keys.Length)
        {
            return;
        }

        var capacity = Math.Max(count, _keys.Length * 2);
        Array.Resize(ref _keys, capacity);
        Array.Resize(ref _vectors, capacity * dimensions);
    }
}
