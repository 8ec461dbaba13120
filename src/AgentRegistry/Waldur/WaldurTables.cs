using AgentRegistry.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AgentRegistry.Waldur;

/// <summary>
/// The Waldur feature's tables on the registry's one context (<c>db.WebhookEvents</c> ...): the feature names its own entities, so
/// that the data layer names none. Inside a query's lambda use <c>db.Set&lt;T&gt;()</c> (an expression tree cannot hold an
/// extension property).
/// </summary>
public static class WaldurTables
{
    extension(RegistryDb db)
    {
        public DbSet<WebhookEvent> WebhookEvents => db.Set<WebhookEvent>();
        public DbSet<Reporting.WaldurUsageReport> UsageReports => db.Set<Reporting.WaldurUsageReport>();
    }
}

internal sealed class WebhookEventEntityTypeConfiguration : IEntityTypeConfiguration<WebhookEvent>
{
    public void Configure(EntityTypeBuilder<WebhookEvent> b)
    {
        b.ToTable("WebhookEvents");
        b.Property(w => w.Status).HasConversion<string>().HasMaxLength(16);
        b.HasIndex(w => w.DedupeKey).IsUnique();
        b.HasIndex(w => new { w.Status, w.NextAttemptAt });
        b.Property(w => w.Endpoint).HasMaxLength(20);
        b.Property(w => w.EventType).HasMaxLength(100);
        b.Property(w => w.DedupeKey).HasMaxLength(64);
        b.Property(w => w.Payload).HasMaxLength(1_000_000);
        b.Property(w => w.LastError).HasMaxLength(2000);
    }
}
