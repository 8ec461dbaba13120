using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AgentRegistry.Metering;

internal sealed class UsageRecordModel : IEntityTypeConfiguration<UsageRecord>
{
    public void Configure(EntityTypeBuilder<UsageRecord> b)
    {
        b.HasIndex(u => u.IdempotencyKey).IsUnique();
        b.HasIndex(u => new { u.AccessId, u.OccurredAt });
        // The aggregation finds the days that received records since its last look by when they were recorded.
        b.HasIndex(u => u.RecordedAt);
        b.Property(u => u.Metric).HasMaxLength(60);
        b.Property(u => u.IdempotencyKey).HasMaxLength(200);
    }
}

internal sealed class DailyUsageSummaryModel : IEntityTypeConfiguration<DailyUsageSummary>
{
    public void Configure(EntityTypeBuilder<DailyUsageSummary> b)
    {
        b.HasIndex(d => new { d.AccessId, d.Metric, d.Day }).IsUnique();
        b.HasIndex(d => new { d.TenantId, d.Day });
        b.Property(d => d.Metric).HasMaxLength(60);
    }
}

internal sealed class TenantQuotaSnapshotModel : IEntityTypeConfiguration<TenantQuotaSnapshot>
{
    public void Configure(EntityTypeBuilder<TenantQuotaSnapshot> b)
    {
        b.HasIndex(q => new { q.AccessId, q.Metric, q.Period }).IsUnique();
        b.HasIndex(q => new { q.TenantId, q.Period });
        b.Property(q => q.Metric).HasMaxLength(60);
    }
}
