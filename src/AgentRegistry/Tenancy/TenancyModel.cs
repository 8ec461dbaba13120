using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AgentRegistry.Tenancy;

internal sealed class TenantModel : IEntityTypeConfiguration<Tenant>
{
    public void Configure(EntityTypeBuilder<Tenant> b)
    {
        b.HasIndex(t => t.Slug).IsUnique();
        b.HasIndex(t => t.WaldurCustomerUuid).IsUnique();
        b.Property(t => t.Name).HasMaxLength(200);
        b.Property(t => t.Slug).HasMaxLength(60);
        b.Property(t => t.Email).HasMaxLength(254);
    }
}

internal sealed class TenantProjectModel : IEntityTypeConfiguration<TenantProject>
{
    public void Configure(EntityTypeBuilder<TenantProject> b)
    {
        b.HasIndex(p => p.WaldurProjectUuid).IsUnique();
        b.HasIndex(p => new { p.TenantId, p.Name });
        b.Property(p => p.Name).HasMaxLength(200);
        b.HasOne(p => p.Tenant).WithMany().HasForeignKey(p => p.TenantId).OnDelete(DeleteBehavior.Restrict);
    }
}
