namespace AgentRegistry.Knowledge;

/// <summary>
/// Merges ranked lists (vector hits, keyword hits) by Reciprocal Rank Fusion: score = Σ 1 / (k + rank), rank from 1.
/// Only ranks matter, so scores of different scales (cosine, BM25) need no calibration.
/// </summary>
public static class ReciprocalRankFusion
{
    public const int DefaultK = 60;

    public static IReadOnlyList<ScoredKey<TKey>> Fuse<TKey>(params IReadOnlyList<TKey>[] rankedLists)
        where TKey : notnull => Fuse(DefaultK, rankedLists);

    /// <summary>Best first; ties keep the order in which keys were first seen. A key repeated within one list counts once.</summary>
    public static IReadOnlyList<ScoredKey<TKey>> Fuse<TKey>(int k, params IReadOnlyList<TKey>[] rankedLists)
        where TKey : notnull => Fuse(k, rankedLists.Select(list => (list, 1.0)).ToArray());

    /// <summary>Weighted fusion: each list's contributions are multiplied by its weight.</summary>
    public static IReadOnlyList<ScoredKey<TKey>> Fuse<TKey>(int k, params (IReadOnlyList<TKey> List, double Weight)[] rankedLists)
        where TKey : notnull
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        var scores = new Dictionary<TKey, (double Score, int FirstSeen)>();
        foreach (var (list, weight) in rankedLists)
        {
            var seen = new HashSet<TKey>();
            for (var rank = 0; rank < list.Count; rank++)
            {
                var key = list[rank];
                if (!seen.Add(key))
                {
                    continue;
                }

                var contribution = weight / (k + rank + 1);
                scores[key] = scores.TryGetValue(key, out var existing)
                    ? (existing.Score + contribution, existing.FirstSeen)
                    : (contribution, scores.Count);
            }
        }

        return scores
            .OrderByDescending(pair => pair.Value.Score)
            .ThenBy(pair => pair.Value.FirstSeen)
            .Select(pair => new ScoredKey<TKey>(pair.Key, (float)pair.Value.Score))
            .ToArray();
    }
}
