using AgentRegistry.Access;
using System.Data.Common;
using System.Text.Json;
using AgentRegistry.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace AgentRegistry.Metering;

/// <summary>What a pass changed; <paramref name="FailedAccesses"/>: accesses whose own pass failed (the others were aggregated).</summary>
public sealed record AggregationResult(int DaysRecomputed, int SummariesChanged, int SnapshotsChanged, IReadOnlyList<Guid>? FailedAccesses = null)
{
    public IReadOnlyList<Guid> FailedAccesses { get; init; } = FailedAccesses ?? [];
}

/// <summary>
/// Recomputes <see cref="DailyUsageSummary"/> rows and <see cref="TenantQuotaSnapshot"/> rows from the raw records, for
/// every access and UTC day (and month) that received records recorded since <c>since</c>. An upsert: running it twice
/// changes nothing, and a late event re-aggregates the day it occurred on. Set-based: the touched (access, day) pairs
/// are found by one grouped query into a temporary table, and each of the two tables is upserted by one
/// <c>INSERT ... SELECT ... GROUP BY ... ON CONFLICT DO UPDATE</c> that writes only rows whose value changed, so the
/// work stays in the database whatever the number of records. Only the plan limits come from C# (plan components are
/// JSON). On PostgreSQL a pass runs in one transaction under an advisory lock, so concurrent passes take turns; counts
/// are rows the database reports written. Sums saturate (<see cref="UsageTotals"/>). Should a pass over everything fail
/// all the same, each touched access is aggregated on its own, so one access's bad data cannot stop the others.
/// </summary>
public sealed class UsageAggregator(RegistryDb db, TimeProvider clock, ILogger<UsageAggregator> log)
{
    /// <summary>Key of the PostgreSQL advisory lock one aggregation pass holds.</summary>
    private const long AdvisoryLock = 0x5553_4147_4541_4747; // "USAGEAGG"

    public async Task<AggregationResult> RunAsync(DateTime since, CancellationToken ct)
    {
        try
        {
            return await PassAsync(since, null, ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            log.LogWarning(e, "Usage aggregation over all accesses failed; aggregating each access on its own");
            return await EachAccessAsync(since, ct);
        }
    }

    private async Task<AggregationResult> EachAccessAsync(DateTime since, CancellationToken ct)
    {
        var accesses = await db.UsageRecords.IgnoreQueryFilters().AsNoTracking().Where(u => u.RecordedAt >= since)
            .Select(u => u.AccessId).Distinct().ToListAsync(ct);
        var result = new AggregationResult(0, 0, 0);
        var failed = new List<Guid>();
        foreach (var access in accesses.Order())
        {
            try
            {
                var one = await PassAsync(since, access, ct);
                result = new AggregationResult(result.DaysRecomputed + one.DaysRecomputed, result.SummariesChanged + one.SummariesChanged,
                    result.SnapshotsChanged + one.SnapshotsChanged);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                failed.Add(access);
                log.LogError(e, "Usage aggregation of access {AccessId} failed; the other accesses are aggregated", access);
            }
        }
        return result with { FailedAccesses = failed };
    }

    // A transient failure retries the whole pass (its transaction included).
    private Task<AggregationResult> PassAsync(DateTime since, Guid? access, CancellationToken ct) =>
        db.Database.CreateExecutionStrategy().ExecuteAsync((since, access), PassAsync, null, ct);

    private async Task<AggregationResult> PassAsync(DbContext _, (DateTime Since, Guid? Access) scope, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var postgres = db.Database.IsNpgsql();
        var sql = postgres ? PostgresSql : SqliteSql;
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var transaction = postgres ? await db.Database.BeginTransactionAsync(ct) : null;
            if (postgres) await ExecuteAsync($"SELECT pg_advisory_xact_lock({AdvisoryLock})", [], ct);
            await ExecuteAsync(sql.DropTouched, [], ct);
            if (scope.Access is { } one)
                await ExecuteAsync(sql.Touched + OneAccess, [Parameter("since", scope.Since), AccessParameter(one)], ct);
            else
                await ExecuteAsync(sql.Touched, [Parameter("since", scope.Since)], ct);
            // A temporary table has no statistics until analysed; with them the planner picks a hash join and one scan
            // when most days are touched, and index lookups when few are.
            if (postgres) await ExecuteAsync("ANALYZE usage_touched", [], ct);
            var days = Convert.ToInt32(await ScalarAsync("SELECT count(*) FROM usage_touched", ct));
            var summaries = await ExecuteAsync(sql.Summaries, [Parameter("now", now)], ct);
            var limits = await LimitsAsync(ct);
            var snapshots = await ExecuteAsync(sql.Snapshots, [Parameter("now", now), LimitsParameter(limits)], ct);
            await ExecuteAsync(QuotaAlert.RaiseSql, [Parameter("now", now)], ct);
            await ExecuteAsync(sql.DropTouched, [], ct);
            if (transaction is not null) await transaction.CommitAsync(ct);
            return new AggregationResult(days, summaries, snapshots);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>Raw limit (billed limit times unit size) per touched access and metric, from the plans' components.</summary>
    private async Task<List<(Guid Access, string Metric, long Limit)>> LimitsAsync(CancellationToken ct)
    {
        var accesses = new List<Guid>();
        await using (var command = Command("SELECT DISTINCT access FROM usage_touched", []))
        await using (var reader = await command.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct)) accesses.Add(db.Database.IsNpgsql() ? reader.GetGuid(0) : Guid.Parse(reader.GetString(0)));
        var limits = new List<(Guid, string, long)>();
        foreach (var chunk in accesses.Chunk(1000))
        {
            var plans = await db.Accesses.AsNoTracking().Where(a => chunk.Contains(a.Id)).Select(a => new { a.Id, a.Plan!.Components, a.Limits }).ToListAsync(ct);
            foreach (var plan in plans)
                foreach (var c in PrepaidLimits.Apply(plan.Components ?? [], plan.Limits).Where(c => c.Limit is not null && QuotaTracker.MetricOf(c).Length > 0).DistinctBy(QuotaTracker.MetricOf))
                    limits.Add((plan.Id, QuotaTracker.MetricOf(c), UsageTotals.RawLimit(c.Limit!.Value, c.UnitSize)));
        }
        return limits;
    }

    private DbParameter LimitsParameter(List<(Guid Access, string Metric, long Limit)> limits)
    {
        if (db.Database.IsNpgsql())
            return new NpgsqlParameter<string>("limits", NpgsqlDbType.Jsonb)
            {
                TypedValue = JsonSerializer.Serialize(limits.Select(l => new object[] { l.Access, l.Metric, l.Limit })),
            };
        return new SqliteParameter("@limits", JsonSerializer.Serialize(limits.Select(l => new object[] { UsageRecordWriter.SqliteGuid(l.Access), l.Metric, l.Limit })));
    }

    private DbParameter Parameter(string name, DateTime utc) => db.Database.IsNpgsql()
        ? new NpgsqlParameter<DateTime>(name, NpgsqlDbType.TimestampTz) { TypedValue = DateTime.SpecifyKind(utc, DateTimeKind.Utc) }
        : new SqliteParameter("@" + name, UsageRecordWriter.SqliteTime(utc.Kind == DateTimeKind.Unspecified ? utc : utc.ToUniversalTime()));

    /// <summary>Narrows the touched pairs to one access: the statements that follow only read <c>usage_touched</c>.</summary>
    private const string OneAccess = "\n HAVING \"AccessId\" = @access";

    private DbParameter AccessParameter(Guid access) => db.Database.IsNpgsql()
        ? new NpgsqlParameter<Guid>("access", access)
        : new SqliteParameter("@access", UsageRecordWriter.SqliteGuid(access));

    private DbCommand Command(string text, DbParameter[] parameters)
    {
        var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = text;
        command.CommandTimeout = 0;
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        command.Parameters.AddRange(parameters);
        return command;
    }

    private async Task<int> ExecuteAsync(string text, DbParameter[] parameters, CancellationToken ct)
    {
        await using var command = Command(text, parameters);
        return await command.ExecuteNonQueryAsync(ct);
    }

    private async Task<object?> ScalarAsync(string text, CancellationToken ct)
    {
        await using var command = Command(text, []);
        return await command.ExecuteScalarAsync(ct);
    }

    private sealed record Statements(string DropTouched, string Touched, string Summaries, string Snapshots);

    // Rows are written in key order so that concurrent writers lock them in the same order. Sums saturate at
    // UsageTotals.Ceiling (2^53 - 1): sum(bigint) is numeric on PostgreSQL, and SQLite's total() never raises on overflow.
    private static readonly Statements PostgresSql = new(
        "DROP TABLE IF EXISTS usage_touched",
        """
        CREATE TEMP TABLE usage_touched ON COMMIT DROP AS
        SELECT "AccessId" AS access, ("OccurredAt" AT TIME ZONE 'UTC')::date AS day
        FROM "UsageRecords" WHERE "RecordedAt" >= @since
        GROUP BY 1, 2
        """,
        """
        INSERT INTO "DailyUsageSummaries" ("TenantId", "AccessId", "Metric", "Day", "Quantity", "ComputedAt")
        SELECT u."TenantId", u."AccessId", u."Metric", t.day, LEAST(sum(u."Quantity"), 9007199254740991)::bigint, @now
        FROM usage_touched t
        JOIN "UsageRecords" u ON u."AccessId" = t.access AND (u."OccurredAt" AT TIME ZONE 'UTC')::date = t.day
            AND u."OccurredAt" >= t.day::timestamp AT TIME ZONE 'UTC' AND u."OccurredAt" < (t.day + 1)::timestamp AT TIME ZONE 'UTC'
        GROUP BY u."TenantId", u."AccessId", u."Metric", t.day
        ORDER BY u."AccessId", u."Metric", t.day
        ON CONFLICT ("AccessId", "Metric", "Day") DO UPDATE SET "Quantity" = excluded."Quantity", "ComputedAt" = excluded."ComputedAt"
        WHERE "DailyUsageSummaries"."Quantity" <> excluded."Quantity"
        """,
        """
        WITH months AS (SELECT DISTINCT access, date_trunc('month', day::timestamp)::date AS month FROM usage_touched),
        limits AS (SELECT (l ->> 0)::uuid AS access, l ->> 1 AS metric, (l ->> 2)::bigint AS "limit" FROM jsonb_array_elements(@limits) AS l)
        INSERT INTO "QuotaSnapshots" ("TenantId", "AccessId", "Metric", "Period", "Used", "Limit", "TakenAt")
        SELECT s."TenantId", s."AccessId", s."Metric", s.month, s.used, l."limit", @now
        FROM (
            SELECT u."TenantId", u."AccessId", u."Metric", m.month, LEAST(sum(u."Quantity"), 9007199254740991)::bigint AS used
            FROM months m
            JOIN "UsageRecords" u ON u."AccessId" = m.access
                AND u."OccurredAt" >= m.month::timestamp AT TIME ZONE 'UTC' AND u."OccurredAt" < (m.month + interval '1 month')::timestamp AT TIME ZONE 'UTC'
            GROUP BY u."TenantId", u."AccessId", u."Metric", m.month
        ) s
        LEFT JOIN limits l ON l.access = s."AccessId" AND l.metric = s."Metric"
        ORDER BY s."AccessId", s."Metric", s.month
        ON CONFLICT ("AccessId", "Metric", "Period") DO UPDATE SET "Used" = excluded."Used", "Limit" = excluded."Limit", "TakenAt" = excluded."TakenAt"
        WHERE "QuotaSnapshots"."Used" <> excluded."Used" OR "QuotaSnapshots"."Limit" IS DISTINCT FROM excluded."Limit"
        """);

    // EF stores times as 'yyyy-MM-dd HH:mm:ss.FFFFFFF' text and dates as 'yyyy-MM-dd', so a day is the first ten
    // characters and text order is time order. "WHERE true" keeps ON CONFLICT from reading as a join constraint.
    private static readonly Statements SqliteSql = new(
        "DROP TABLE IF EXISTS temp.usage_touched",
        """
        CREATE TEMP TABLE usage_touched AS
        SELECT "AccessId" AS access, substr("OccurredAt", 1, 10) AS day
        FROM "UsageRecords" WHERE "RecordedAt" >= @since
        GROUP BY 1, 2
        """,
        """
        INSERT INTO "DailyUsageSummaries" ("TenantId", "AccessId", "Metric", "Day", "Quantity", "ComputedAt")
        SELECT u."TenantId", u."AccessId", u."Metric", t.day, CAST(min(total(u."Quantity"), 9007199254740991.0) AS INTEGER), @now
        FROM usage_touched t
        JOIN "UsageRecords" u ON u."AccessId" = t.access AND u."OccurredAt" >= t.day AND u."OccurredAt" < date(t.day, '+1 day')
        WHERE true
        GROUP BY u."TenantId", u."AccessId", u."Metric", t.day
        ON CONFLICT ("AccessId", "Metric", "Day") DO UPDATE SET "Quantity" = excluded."Quantity", "ComputedAt" = excluded."ComputedAt"
        WHERE "DailyUsageSummaries"."Quantity" <> excluded."Quantity"
        """,
        """
        WITH months AS (SELECT DISTINCT access, substr(day, 1, 7) || '-01' AS month FROM usage_touched),
        limits AS (SELECT l.value ->> 0 AS access, l.value ->> 1 AS metric, l.value ->> 2 AS "limit" FROM json_each(@limits) AS l),
        sums AS (
            SELECT u."TenantId", u."AccessId", u."Metric", m.month, CAST(min(total(u."Quantity"), 9007199254740991.0) AS INTEGER) AS used
            FROM months m
            JOIN "UsageRecords" u ON u."AccessId" = m.access AND u."OccurredAt" >= m.month AND u."OccurredAt" < date(m.month, '+1 month')
            GROUP BY u."TenantId", u."AccessId", u."Metric", m.month)
        INSERT INTO "QuotaSnapshots" ("TenantId", "AccessId", "Metric", "Period", "Used", "Limit", "TakenAt")
        SELECT s."TenantId", s."AccessId", s."Metric", s.month, s.used, l."limit", @now
        FROM sums s LEFT JOIN limits l ON l.access = s."AccessId" AND l.metric = s."Metric"
        WHERE true
        ON CONFLICT ("AccessId", "Metric", "Period") DO UPDATE SET "Used" = excluded."Used", "Limit" = excluded."Limit", "TakenAt" = excluded."TakenAt"
        WHERE "QuotaSnapshots"."Used" <> excluded."Used" OR "QuotaSnapshots"."Limit" IS NOT excluded."Limit"
        """);
}
