using System.Collections.Concurrent;
using AgentRegistry.Catalog;
using AgentRegistry.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Metering;

/// <summary>
/// Running usage totals per access, UTC month and metric, loaded once from the database and then incremented as usage
/// is recorded, so a hard-limit check costs no aggregate query per request. Per process: with several replicas each
/// one loads the stored total on first use and may overshoot a limit by what the others record meanwhile.
/// </summary>
public sealed class QuotaTracker(TimeProvider clock)
{
    private sealed class Total { public long Value; }

    private readonly ConcurrentDictionary<(Guid Access, DateOnly Month, string Metric), Lazy<Task<Total>>> _totals = new();

    public static DateOnly MonthOf(DateTime utc) => new(utc.Year, utc.Month, 1);

    /// <summary>Throws 429 when a hard-limit component of the access's plan is used up this month. Call before the model.</summary>
    public async Task EnsureWithinAsync(RegistryDb db, Guid accessId, CancellationToken ct)
    {
        var components = await db.Accesses.AsNoTracking().Where(a => a.Id == accessId).Select(a => a.Plan!.Components).SingleOrDefaultAsync(ct);
        if (components is null) return;
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var c in components)
        {
            if (!c.HardLimit || c.Limit is not { } limit || string.IsNullOrEmpty(MetricOf(c))) continue;
            var used = await UsedAsync(db, accessId, MonthOf(now), MetricOf(c), ct);
            if ((decimal)used / Math.Max(1, c.UnitSize) >= limit)
            {
                var next = MonthOf(now).AddMonths(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
                throw new QuotaExceededException($"The monthly limit of {limit} {c.Name} is used up.", (long)Math.Ceiling((next - now).TotalSeconds));
            }
        }
    }

    /// <summary>The raw metric a component counts: its Metric, or its Type when that names a metric.</summary>
    public static string MetricOf(PlanComponent c) => c.Metric.Length > 0 ? c.Metric : Metrics.Known.Contains(c.Type) ? c.Type : "";

    /// <summary>Adds recorded usage to a loaded total; totals not yet loaded will read it from the database.</summary>
    public void Add(Guid accessId, string metric, DateTime occurredAt, long quantity)
    {
        if (_totals.TryGetValue((accessId, MonthOf(occurredAt), metric), out var lazy) && lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully)
            Interlocked.Add(ref lazy.Value.Result.Value, quantity);
    }

    private async Task<long> UsedAsync(RegistryDb db, Guid accessId, DateOnly month, string metric, CancellationToken ct)
    {
        var key = (accessId, month, metric);
        var lazy = _totals.GetOrAdd(key, _ => new Lazy<Task<Total>>(() => LoadAsync(db, accessId, month, metric)));
        try
        {
            return Interlocked.Read(ref (await lazy.Value.WaitAsync(ct)).Value);
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            _totals.TryRemove(key, out _);
            throw;
        }
    }

    private static async Task<Total> LoadAsync(RegistryDb db, Guid accessId, DateOnly month, string metric)
    {
        var from = month.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var to = month.AddMonths(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var sum = await db.UsageRecords.AsNoTracking()
            .Where(u => u.AccessId == accessId && u.Metric == metric && u.OccurredAt >= from && u.OccurredAt < to)
            .SumAsync(u => (long?)u.Quantity);
        return new Total { Value = sum ?? 0 };
    }
}
