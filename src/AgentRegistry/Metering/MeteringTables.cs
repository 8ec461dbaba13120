using AgentRegistry.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AgentRegistry.Metering;

/// <summary>
/// The Metering feature's tables on the registry's one context (<c>db.UsageRecords</c> ...): the feature names its own entities, so
/// that the data layer names none. Inside a query's lambda use <c>db.Set&lt;T&gt;()</c> (an expression tree cannot hold an
/// extension property).
/// </summary>
public static class MeteringTables
{
    extension(RegistryDb db)
    {
        public DbSet<UsageRecord> UsageRecords => db.Set<UsageRecord>();
        public DbSet<DailyUsageSummary> DailyUsageSummaries => db.Set<DailyUsageSummary>();
        public DbSet<TenantQuotaSnapshot> QuotaSnapshots => db.Set<TenantQuotaSnapshot>();
        public DbSet<QuotaAlert> QuotaAlerts => db.Set<QuotaAlert>();
    }
}

internal sealed class UsageRecordEntityTypeConfiguration : IEntityTypeConfiguration<UsageRecord>
{
    public void Configure(EntityTypeBuilder<UsageRecord> b)
    {
        b.ToTable("UsageRecords");
        b.HasIndex(u => u.IdempotencyKey).IsUnique();
        b.HasIndex(u => new { u.AccessId, u.OccurredAt });
        // The aggregation finds the days that received records since its last look by when they were recorded.
        b.HasIndex(u => u.RecordedAt);
        b.Property(u => u.Metric).HasMaxLength(60);
        b.Property(u => u.IdempotencyKey).HasMaxLength(200);
    }
}

internal sealed class DailyUsageSummaryEntityTypeConfiguration : IEntityTypeConfiguration<DailyUsageSummary>
{
    public void Configure(EntityTypeBuilder<DailyUsageSummary> b)
    {
        b.ToTable("DailyUsageSummaries");
        b.HasIndex(d => new { d.AccessId, d.Metric, d.Day }).IsUnique();
        b.HasIndex(d => new { d.TenantId, d.Day });
        b.Property(d => d.Metric).HasMaxLength(60);
    }
}

internal sealed class TenantQuotaSnapshotEntityTypeConfiguration : IEntityTypeConfiguration<TenantQuotaSnapshot>
{
    public void Configure(EntityTypeBuilder<TenantQuotaSnapshot> b)
    {
        b.ToTable("QuotaSnapshots");
        b.HasIndex(q => new { q.AccessId, q.Metric, q.Period }).IsUnique();
        b.HasIndex(q => new { q.TenantId, q.Period });
        b.Property(q => q.Metric).HasMaxLength(60);
    }
}
