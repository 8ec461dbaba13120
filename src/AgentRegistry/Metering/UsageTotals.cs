namespace AgentRegistry.Metering;

/// <summary>
/// Sums of usage saturate at <see cref="Ceiling"/> (2^53 - 1) instead of overflowing: in C#, in the aggregation SQL of
/// both databases, in quota totals and in the usage API. Below the ceiling every sum is exact (a double holds every whole
/// number up to 2^53, so SQLite's <c>total()</c> and a sum of doubles are exact there); at it, a hard limit stays reached
/// and nothing answers 500 or stops a job. It is also the largest whole number a JavaScript client reads exactly.
/// See docs/decisions/0008-usage-totals-saturate.md.
/// </summary>
public static class UsageTotals
{
    public const long Ceiling = (1L << 53) - 1;

    /// <summary>a + b, at most <see cref="Ceiling"/>; quantities are never negative.</summary>
    public static long Add(long a, long b) => b > 0 && a > Ceiling - b ? Ceiling : Math.Min(a + b, Ceiling);

    public static long Sum(IEnumerable<long> values)
    {
        var total = 0L;
        foreach (var v in values) total = Add(total, v);
        return total;
    }

    public static long Sum<T>(IEnumerable<T> items, Func<T, long> quantity) => Sum(items.Select(quantity));

    /// <summary>A database sum read as a double (<c>Sum(u =&gt; (double)u.Quantity)</c>), saturated.</summary>
    public static long Of(double? sum) => sum is not { } s || s <= 0 ? 0 : s >= Ceiling ? Ceiling : (long)s;

    /// <summary>A plan limit in raw units (billed limit times unit size), saturated.</summary>
    public static long Of(decimal raw) => raw <= 0 ? 0 : raw >= Ceiling ? Ceiling : (long)Math.Ceiling(raw);

    /// <summary>
    /// <c>ceil(limit x unitSize)</c>, saturated: a limit chosen in an order can be any decimal Waldur accepts, and the
    /// product of it and the unit size must neither overflow a decimal nor stop the aggregation that computes it.
    /// </summary>
    public static long RawLimit(decimal limit, long unitSize)
    {
        if (limit <= 0) return 0;
        var size = Math.Max(1, unitSize);
        return limit >= (decimal)Ceiling / size ? Ceiling : Of(limit * size);
    }

    /// <summary>A count of units, as the <c>int</c> an API takes, at most <see cref="int.MaxValue"/>.</summary>
    public static int AsInt(long value) => value <= 0 ? 0 : value >= int.MaxValue ? int.MaxValue : (int)value;
}
