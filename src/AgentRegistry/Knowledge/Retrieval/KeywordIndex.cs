namespace AgentRegistry.Knowledge;

/// <summary>
/// The keyword ranking of one access's chunks, in memory beside their vectors: BM25 over the chunks' words (heading path and
/// body, as <see cref="Terms"/> keys them, the same words the offline composer matches). One ranking for every database:
/// SQLite's FTS5 ranks by BM25 but PostgreSQL's ts_rank knows no inverse document frequency, so the same documents and
/// questions ranked differently on the two; and a search needs no database round trip for it.
/// </summary>
public sealed class KeywordIndex
{
    /// <summary>BM25's term-frequency saturation and length normalisation, the usual values.</summary>
    private const double K1 = 1.2, B = 0.75;

    private readonly Dictionary<string, (long Chunk, int Count)[]> _postings;
    private readonly Dictionary<long, int> _lengths;
    private readonly double _averageLength;

    private KeywordIndex(Dictionary<string, (long Chunk, int Count)[]> postings, Dictionary<long, int> lengths)
    {
        _postings = postings;
        _lengths = lengths;
        _averageLength = lengths.Count == 0 ? 1 : Math.Max(1, lengths.Values.Average());
    }

    public static KeywordIndex Empty { get; } = Build([]);

    public int Count => _lengths.Count;

    public static KeywordIndex Build(IEnumerable<(long Chunk, string Text)> chunks)
    {
        var postings = new Dictionary<string, List<(long, int)>>(StringComparer.Ordinal);
        var lengths = new Dictionary<long, int>();
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (chunk, text) in chunks)
        {
            counts.Clear();
            var length = 0;
            foreach (var key in Terms.Keys(text))
            {
                counts[key] = counts.GetValueOrDefault(key) + 1;
                length++;
            }

            lengths[chunk] = length;
            foreach (var (key, count) in counts)
            {
                if (!postings.TryGetValue(key, out var list)) postings[key] = list = [];
                list.Add((chunk, count));
            }
        }

        return new KeywordIndex(postings.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal), lengths);
    }

    /// <summary>
    /// The chunks sharing any of the query's words, best first by BM25 (a chunk sharing more, and rarer, words first);
    /// equal scores in chunk order, so a ranking never depends on the order of a dictionary or a database.
    /// </summary>
    public IReadOnlyList<ScoredKey<long>> Search(string query, int limit)
    {
        if (limit <= 0 || _lengths.Count == 0) return [];
        var scores = new Dictionary<long, double>();
        var n = _lengths.Count;
        foreach (var term in Terms.Of(query))
        {
            if (!_postings.TryGetValue(term, out var postings)) continue;
            var idf = Math.Log(1 + (n - postings.Length + 0.5) / (postings.Length + 0.5));
            foreach (var (chunk, count) in postings)
            {
                var norm = count + K1 * (1 - B + B * _lengths[chunk] / _averageLength);
                scores[chunk] = scores.GetValueOrDefault(chunk) + idf * count * (K1 + 1) / norm;
            }
        }

        return scores.OrderByDescending(s => s.Value).ThenBy(s => s.Key).Take(limit)
            .Select(s => new ScoredKey<long>(s.Key, (float)s.Value)).ToArray();
    }
}
