using AgentRegistry.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AgentRegistry.Metering;

/// <summary>
/// A soft quota threshold crossed: an access used <see cref="Threshold"/> percent (80 or 100) of a plan limit in a UTC
/// month. Raised once per access, metric, month and threshold by the aggregation, from the quota snapshots; the usage
/// API lists them for the portal.
/// </summary>
public sealed class QuotaAlert : ITenantOwned
{
    /// <summary>The thresholds raised, in percent of the limit.</summary>
    public static readonly int[] Thresholds = [80, 100];

    public long Id { get; init; }
    public Guid TenantId { get; set; }
    public Guid AccessId { get; set; }
    public required string Metric { get; set; }
    /// <summary>First day of the UTC month.</summary>
    public DateOnly Period { get; set; }
    public int Threshold { get; set; }
    /// <summary>Raw usage and limit (whole units of the metric) when the threshold was first seen crossed.</summary>
    public long Used { get; set; }
    public long Limit { get; set; }
    public DateTime RaisedAt { get; set; }

    /// <summary>
    /// Raises the alerts of every snapshot at or over a threshold that has none yet; the same statement on SQLite and
    /// PostgreSQL. Returns how many were raised.
    /// </summary>
    internal const string RaiseSql = """
        INSERT INTO "QuotaAlerts" ("TenantId", "AccessId", "Metric", "Period", "Threshold", "Used", "Limit", "RaisedAt")
        SELECT q."TenantId", q."AccessId", q."Metric", q."Period", t.threshold, q."Used", q."Limit", @now
        FROM "QuotaSnapshots" q CROSS JOIN (SELECT 80 AS threshold UNION ALL SELECT 100) t
        WHERE q."Limit" IS NOT NULL AND q."Limit" > 0 AND q."Used" * 100 >= q."Limit" * t.threshold
        ON CONFLICT ("AccessId", "Metric", "Period", "Threshold") DO NOTHING
        """;
}

internal sealed class QuotaAlertEntityTypeConfiguration : IEntityTypeConfiguration<QuotaAlert>
{
    public void Configure(EntityTypeBuilder<QuotaAlert> b)
    {
        b.ToTable("QuotaAlerts");
        b.HasIndex(a => new { a.AccessId, a.Metric, a.Period, a.Threshold }).IsUnique();
        b.HasIndex(a => new { a.TenantId, a.Period });
        b.Property(a => a.Metric).HasMaxLength(60);
    }
}
