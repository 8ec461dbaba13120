using AgentRegistry.Infrastructure.RateLimiting;
using System.Security.Claims;
using System.Text.Json;
using AgentRegistry.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AgentRegistry.Metering;

public sealed class MeteringOptions
{
    public const string Section = "Metering";
    /// <summary>Events older than this are rejected.</summary>
    public int MaxEventAgeDays { get; set; } = 35;
    /// <summary>Events this far in the future are still accepted (clock skew).</summary>
    public int FutureSkewSeconds { get; set; } = 300;
    public int MaxBatchEvents { get; set; } = 1000;
    /// <summary>Largest quantity one event may report; larger ones are rejected per event.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, UsageTotals.Ceiling)]
    public long MaxEventQuantity { get; set; } = 1_000_000_000_000;
    /// <summary>Largest sum of the accepted quantities of one batch; a batch over it is refused whole (422) and stores nothing.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, UsageTotals.Ceiling)]
    public long MaxBatchQuantity { get; set; } = 10_000_000_000_000;
    /// <summary>Aggregation interval; 0 turns the background aggregation off.</summary>
    public int AggregateSeconds { get; set; } = 300;
    /// <summary>Days (of recording time) whose records each aggregation pass re-aggregates.</summary>
    public int AggregateLookbackDays { get; set; } = 2;
    /// <summary>Days after a month's end during which it is still reported, and after termination during which an access is.</summary>
    [System.ComponentModel.DataAnnotations.Range(0, 31)]
    public int ReportGraceDays { get; set; } = 3;
    /// <summary>How long an access's plan components are remembered for quota checks and ingestion; 0 reads them every time.</summary>
    public int PlanCacheSeconds { get; set; } = 30;
}

/// <summary>One reported event; quantity is a JSON number so a fraction can be refused per event instead of failing the batch.</summary>
public sealed record UsageEventInput(string? Id, string? Metric, JsonElement Quantity, DateTime? OccurredAt);

public sealed record UsageEventsInput(IReadOnlyList<UsageEventInput>? Events);

/// <summary>
/// One event's outcome: accepted, duplicate or rejected (with the reason). <c>Late</c>: accepted, but its billing month
/// is past, so Waldur no longer invoices it (its invoice closed on the 1st; the reason says whether it is still reported):
/// it shows in usage and reconciliation, not on an invoice.
/// </summary>
public sealed record UsageEventResult(string? Id, string Status, string? Reason = null, bool Late = false);

public sealed record UsageEventsOutput(int Accepted, int Duplicate, int Rejected, IReadOnlyList<UsageEventResult> Results);

internal static class UsageEventsApi
{
    public static void MapUsageEvents(this IEndpointRouteBuilder routes) =>
        routes.MapPost("/api/v1/usage/events", Post).WithTags("Usage").RequireAuthorization(Policies.UsageWriteKey)
            .RequireRateLimiting(RateLimitPolicies.ApiKey);

    private static async Task<IResult> Post(UsageEventsInput input, ClaimsPrincipal user, UsageIngestion ingestion, CancellationToken ct)
    {
        var access = Guid.Parse(user.FindFirstValue(RegistryClaims.AccessId)!);
        Guid? key = Guid.TryParse(user.FindFirstValue(RegistryClaims.ApiKeyId), out var k) ? k : null;
        return TypedResults.Ok(await ingestion.IngestAsync(access, key, input.Events ?? [], ct));
    }
}

/// <summary>
/// Validates a batch per event in memory, then stores the good ones with one set-based statement that skips ids already
/// stored (idempotent by access and event id) and reports which it inserted; the answer follows the commit.
/// </summary>
public sealed class UsageIngestion(RegistryDb db, IOptions<MeteringOptions> options, TimeProvider clock, QuotaTracker quota)
{
    public async Task<UsageEventsOutput> IngestAsync(Guid accessId, Guid? apiKeyId, IReadOnlyList<UsageEventInput> events, CancellationToken ct)
    {
        var o = options.Value;
        if (events.Count == 0) throw new FieldException("events", "Send at least one event.");
        if (events.Count > o.MaxBatchEvents)
            throw new ProblemException(413, "batch-too-large", $"A batch holds at most {o.MaxBatchEvents} events; split it.");
        var access = await quota.PlanOfAsync(db, accessId, ct) ?? throw new NotFoundException("The access");
        var known = new HashSet<string>(Metrics.Known, StringComparer.Ordinal);
        foreach (var c in access.Components) if (c.Metric.Length > 0) known.Add(c.Metric);

        var now = clock.GetUtcNow().UtcDateTime;
        var results = new UsageEventResult?[events.Count];
        var good = new List<(int Index, UsageRow Row)>(events.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            if (string.IsNullOrWhiteSpace(e.Id) || e.Id.Length > 100) { results[i] = Reject(e, "id must be 1 to 100 characters"); continue; }
            // The first copy counts; later copies in the same batch are refused, never counted.
            if (!seen.Add(e.Id)) { results[i] = Reject(e, "the id appears more than once in this batch"); continue; }
            if (e.Metric is null || !known.Contains(e.Metric)) { results[i] = Reject(e, $"unknown metric '{e.Metric}'"); continue; }
            if (e.Quantity.ValueKind != JsonValueKind.Number || !e.Quantity.TryGetInt64(out var quantity))
            { results[i] = Reject(e, "quantity must be a whole number"); continue; }
            if (quantity < 0) { results[i] = Reject(e, "quantity must not be negative"); continue; }
            if (quantity > o.MaxEventQuantity) { results[i] = Reject(e, $"quantity must be at most {o.MaxEventQuantity}"); continue; }
            if (e.OccurredAt is not { } occurred) { results[i] = Reject(e, "occurred_at is required"); continue; }
            var at = occurred.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(occurred, DateTimeKind.Utc) : occurred.ToUniversalTime();
            if (at > now.AddSeconds(o.FutureSkewSeconds)) { results[i] = Reject(e, "occurred_at is in the future"); continue; }
            if (at < now.AddDays(-o.MaxEventAgeDays)) { results[i] = Reject(e, $"occurred_at is older than {o.MaxEventAgeDays} days"); continue; }
            good.Add((i, new UsageRow(e.Metric, quantity, at, IdempotencyKey(accessId, e.Id))));
        }

        if (UsageTotals.Sum(good, g => g.Row.Quantity) > o.MaxBatchQuantity)
            throw new FieldException("events", $"The quantities of this batch add up to more than {o.MaxBatchQuantity}; split it.");
        if (good.Count > 0)
        {
            var owner = new UsageOwner(access.TenantId, accessId, access.AgentId, apiKeyId);
            var inserted = await UsageRecordWriter.InsertNewAsync(db, owner, good.Select(g => g.Row).ToList(), now, ct);
            foreach (var (index, row) in good)
            {
                var fresh = inserted.Contains(row.IdempotencyKey);
                var late = fresh ? BillingMonths.LateReason(BillingMonths.Of(row.OccurredAt), now, o.ReportGraceDays) : null;
                results[index] = new UsageEventResult(events[index].Id, fresh ? "accepted" : "duplicate", late, late is not null);
                if (fresh) quota.Add(accessId, row.Metric, row.OccurredAt, row.Quantity);
            }
        }
        var all = results.Select(r => r!).ToList();
        var output = new UsageEventsOutput(all.Count(r => r.Status == "accepted"), all.Count(r => r.Status == "duplicate"), all.Count(r => r.Status == "rejected"), all);
        MeteringMetrics.Ingested(output);
        return output;
    }

    public static string IdempotencyKey(Guid accessId, string eventId) => $"event:{accessId:N}:{eventId}";

    private static UsageEventResult Reject(UsageEventInput e, string reason) => new(e.Id, "rejected", reason);
}
