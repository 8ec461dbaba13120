using AgentRegistry.Access;
using System.Collections.Concurrent;
using AgentRegistry.Catalog;
using AgentRegistry.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AgentRegistry.Metering;

/// <summary>Who owns an access's usage and what its plan meters, as the quota check and the ingestion need them.</summary>
public sealed record AccessPlan(Guid TenantId, Guid AgentId, IReadOnlyList<PlanComponent> Components)
{
    /// <summary>The hard-limited components that count a known metric: the ones a request can be refused for.</summary>
    public IReadOnlyList<PlanComponent> HardLimits { get; } =
        Components.Where(c => c.HardLimit && c.Limit is not null && QuotaTracker.MetricOf(c).Length > 0).ToList();
}

/// <summary>
/// Running usage totals per access, UTC month and metric, loaded once from the database and then incremented as usage
/// is recorded, so a hard-limit check costs no aggregate query per request. Per process: with several replicas each
/// one loads the stored total on first use and may overshoot a limit by what the others record meanwhile.
/// The access's plan is remembered for <c>Metering:PlanCacheSeconds</c>, and forgotten at once when a save in this
/// process changes the access or a plan (told by <see cref="CommittedChanges"/>); another replica's change takes
/// effect here when the entry expires.
/// </summary>
public sealed class QuotaTracker(TimeProvider clock, IOptions<MeteringOptions> options) : IForgetsChanges
{
    private sealed class Total { public long Value; }

    private sealed record CachedPlan(AccessPlan Plan, long ExpiresAt);

    private readonly ConcurrentDictionary<(Guid Access, DateOnly Month, string Metric), Lazy<Task<Total>>> _totals = new();
    private readonly ConcurrentDictionary<Guid, CachedPlan> _plans = new();

    /// <summary>Throws 429 when a hard-limit component of the access's plan is used up this month. Call before the model.</summary>
    public async Task EnsureWithinAsync(RegistryDb db, Guid accessId, CancellationToken ct)
    {
        if (await PlanOfAsync(db, accessId, ct) is not { } plan) return;
        if (plan.HardLimits.Count == 0) return;
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var c in plan.HardLimits)
        {
            var limit = c.Limit!.Value;
            var used = await UsedAsync(db, accessId, BillingMonths.Of(now), MetricOf(c), ct);
            if (used >= UsageTotals.RawLimit(limit, c.UnitSize))
            {
                var next = BillingMonths.Of(now).AddMonths(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
                throw new QuotaExceededException($"The monthly limit of {limit} {c.Name} is used up.", (long)Math.Ceiling((next - now).TotalSeconds));
            }
        }
    }

    /// <summary>
    /// What remains this month of the access's hard limits on <paramref name="metric"/>, in raw units (the smallest when
    /// several components count it); null when none bounds it. The model call is bounded by it, so an answer cannot use
    /// more output tokens than remain and be billed beyond the allowance.
    /// </summary>
    public async Task<long?> RemainingAsync(RegistryDb db, Guid accessId, string metric, CancellationToken ct)
    {
        if (await PlanOfAsync(db, accessId, ct) is not { } plan) return null;
        long? remaining = null;
        var month = BillingMonths.Of(clock.GetUtcNow().UtcDateTime);
        foreach (var c in plan.HardLimits.Where(c => MetricOf(c) == metric))
        {
            var left = Math.Max(0, UsageTotals.RawLimit(c.Limit!.Value, c.UnitSize) - await UsedAsync(db, accessId, month, metric, ct));
            remaining = remaining is { } r ? Math.Min(r, left) : left;
        }
        return remaining;
    }

    /// <summary>The access's tenant, agent and plan components, from memory while fresh; null when the caller cannot see the access.</summary>
    public async Task<AccessPlan?> PlanOfAsync(RegistryDb db, Guid accessId, CancellationToken ct)
    {
        var now = clock.GetTimestamp();
        if (_plans.TryGetValue(accessId, out var cached) && now < cached.ExpiresAt) return cached.Plan;
        var row = await db.Accesses.AsNoTracking().Where(a => a.Id == accessId)
            .Select(a => new { a.TenantId, a.AgentId, a.Plan!.Components, a.Limits }).SingleOrDefaultAsync(ct);
        // Not found is not remembered: it may be the caller's tenant filter, not the access.
        if (row is null) return null;
        var plan = new AccessPlan(row.TenantId, row.AgentId, PrepaidLimits.Apply(row.Components ?? [], row.Limits));
        var seconds = options.Value.PlanCacheSeconds;
        if (seconds > 0) _plans[accessId] = new CachedPlan(plan, now + (long)(seconds * (double)clock.TimestampFrequency));
        return plan;
    }

    /// <summary>A changed access forgets its remembered plan; a changed plan (its components) forgets them all.</summary>
    public IReadOnlyCollection<Type> Watches { get; } = [typeof(AgentPlan), typeof(PlanComponent), typeof(Access.AgentAccess)];

    public void Forget(IReadOnlyList<(object Entity, EntityState State)> changed)
    {
        foreach (var (entity, _) in changed)
            switch (entity)
            {
                // Components are owned by the plan: changing one may leave the plan's own entry unchanged.
                case AgentPlan or PlanComponent: _plans.Clear(); return;
                case Access.AgentAccess a: _plans.TryRemove(a.Id, out _); break;
            }
    }

    /// <summary>The raw metric a component counts: its Metric, or its Type when that names a metric.</summary>
    public static string MetricOf(PlanComponent c) => c.Metric.Length > 0 ? c.Metric : Metrics.Known.Contains(c.Type) ? c.Type : "";

    /// <summary>Adds recorded usage to a loaded total (saturating); totals not yet loaded will read it from the database.</summary>
    public void Add(Guid accessId, string metric, DateTime occurredAt, long quantity)
    {
        if (!_totals.TryGetValue((accessId, BillingMonths.Of(occurredAt), metric), out var lazy) || !lazy.IsValueCreated || !lazy.Value.IsCompletedSuccessfully)
            return;
        var total = lazy.Value.Result;
        long seen;
        do seen = Interlocked.Read(ref total.Value);
        while (Interlocked.CompareExchange(ref total.Value, UsageTotals.Add(seen, quantity), seen) != seen);
    }

    private async ValueTask<long> UsedAsync(RegistryDb db, Guid accessId, DateOnly month, string metric, CancellationToken ct)
    {
        var key = (accessId, month, metric);
        if (_totals.TryGetValue(key, out var loaded) && loaded.IsValueCreated && loaded.Value.IsCompletedSuccessfully)
            return Interlocked.Read(ref loaded.Value.Result.Value);
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
            .SumAsync(u => (double?)u.Quantity);
        return new Total { Value = UsageTotals.Of(sum) };
    }
}
