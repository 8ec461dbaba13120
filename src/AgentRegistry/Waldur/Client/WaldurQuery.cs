namespace AgentRegistry.Waldur.Client;

/// <summary>An immutable query string; repeated keys (state=a&amp;state=b) are how Waldur takes lists.</summary>
internal sealed record WaldurQuery(IReadOnlyList<KeyValuePair<string, string>> Pairs)
{
    public static readonly WaldurQuery Empty = new([]);

    public WaldurQuery With(string key, string? value) =>
        value is null ? this : new WaldurQuery([.. Pairs, new KeyValuePair<string, string>(key, value)]);

    public WaldurQuery With(string key, IEnumerable<string> values) => values.Aggregate(this, (q, v) => q.With(key, v));

    public override string ToString() => Pairs.Count == 0 ? ""
        : "?" + string.Join("&", Pairs.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
}
