using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AgentRegistry.Infrastructure;

/// <summary>Who changed what, written by the data layer for every change to an audited row.</summary>
public sealed class AuditLog
{
    public long Id { get; init; }
    public Guid? TenantId { get; set; }
    public required string Actor { get; set; }
    public required string Action { get; set; }
    public required string EntityType { get; set; }
    public Guid EntityId { get; set; }
    public string Changes { get; set; } = "{}";
    [Stamped]
    public DateTime At { get; init; }
}

internal sealed class AuditLogEntityTypeConfiguration : IEntityTypeConfiguration<AuditLog>
{
    public void Configure(EntityTypeBuilder<AuditLog> b)
    {
        b.ToTable("AuditLogs");
        b.HasIndex(a => new { a.EntityType, a.EntityId });
        b.HasIndex(a => a.At);
        b.Property(a => a.Actor).HasMaxLength(200);
        b.Property(a => a.Action).HasMaxLength(20);
        b.Property(a => a.EntityType).HasMaxLength(60);
        b.Property(a => a.Changes).HasMaxLength(100_000);
    }
}
