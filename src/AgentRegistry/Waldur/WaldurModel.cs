using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AgentRegistry.Waldur;

internal sealed class WebhookEventModel : IEntityTypeConfiguration<WebhookEvent>
{
    public void Configure(EntityTypeBuilder<WebhookEvent> b)
    {
        b.HasIndex(w => w.DedupeKey).IsUnique();
        b.HasIndex(w => new { w.Status, w.NextAttemptAt });
        b.Property(w => w.Endpoint).HasMaxLength(20);
        b.Property(w => w.EventType).HasMaxLength(100);
        b.Property(w => w.DedupeKey).HasMaxLength(64);
        b.Property(w => w.Payload).HasMaxLength(1_000_000);
        b.Property(w => w.LastError).HasMaxLength(2000);
    }
}
