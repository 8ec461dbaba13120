using WaldurEmulator.Infrastructure;

namespace WaldurEmulator.State;

/// <summary>An in-memory collection keyed by hex UUID, kept in insertion order. Callers hold the store lock.</summary>
internal sealed class Table<T>(Func<T, string> uuidOf) where T : class
{
    private readonly List<T> items = [];

    public IReadOnlyList<T> All => items;

    public T Add(T item)
    {
        items.Add(item);
        return item;
    }

    public T? Find(string? uuid)
    {
        var hex = Hex.Normalize(uuid);
        return hex is null ? null : items.Find(i => uuidOf(i) == hex);
    }

    /// <summary>Like DRF's get_object: a missing object is a 404.</summary>
    public T Get(string? uuid) => Find(uuid) ?? throw ApiException.NotFound();

    public bool Remove(T item) => items.Remove(item);

    public void Clear() => items.Clear();
}
