using System.Collections.Concurrent;

namespace AgentRegistry.Infrastructure;

/// <summary>
/// Values loaded from the database kept in memory for a lifetime, and dropped at once when a save changes what they
/// were read from (the owner, an <see cref="IForgetsChanges"/>, calls <see cref="Evict"/> or <see cref="Clear"/>). A
/// load that raced an eviction is used once but not kept, so a committed change is never hidden by an older read.
/// Not-found results are not kept: they may be the caller's tenant filter, and unknown keys must not grow the cache.
/// </summary>
public sealed class FreshCache<TKey, TValue>(Func<TimeSpan> lifetime, int capacity = 100_000) where TKey : notnull where TValue : class
{
    private readonly ConcurrentDictionary<TKey, (TValue Value, long ExpiresAt)> _entries = new();
    private readonly Lock _evicting = new();
    private long _generation;

    public async ValueTask<TValue?> GetAsync(TKey key, Func<CancellationToken, Task<TValue?>> load, CancellationToken ct)
    {
        if (_entries.TryGetValue(key, out var entry) && entry.ExpiresAt > Environment.TickCount64) return entry.Value;
        var generation = Interlocked.Read(ref _generation);
        var value = await load(ct);
        if (value is null) return null;
        var ttl = (long)lifetime().TotalMilliseconds;
        if (ttl <= 0) return value;
        lock (_evicting)
            if (_generation == generation)
            {
                // A bound on memory, not an eviction policy: a full cache starts again.
                if (_entries.Count >= capacity) _entries.Clear();
                _entries[key] = (value, Environment.TickCount64 + ttl);
            }
        return value;
    }

    /// <summary>Drops the entries whose value matches (a scan: changes are rare, reads are not).</summary>
    public void Evict(Func<TValue, bool> matches)
    {
        lock (_evicting)
        {
            _generation++;
            foreach (var (key, entry) in _entries)
                if (matches(entry.Value)) _entries.TryRemove(key, out _);
        }
    }

    public void Evict(TKey key)
    {
        lock (_evicting)
        {
            _generation++;
            _entries.TryRemove(key, out _);
        }
    }

    public void Clear()
    {
        lock (_evicting)
        {
            _generation++;
            _entries.Clear();
        }
    }
}
