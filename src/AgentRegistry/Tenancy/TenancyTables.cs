using AgentRegistry.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AgentRegistry.Tenancy;

/// <summary>
/// The Tenancy feature's tables on the registry's one context (<c>db.Tenants</c> ...): the feature names its own entities, so
/// that the data layer names none. Inside a query's lambda use <c>db.Set&lt;T&gt;()</c> (an expression tree cannot hold an
/// extension property).
/// </summary>
public static class TenancyTables
{
    extension(RegistryDb db)
    {
        public DbSet<Tenant> Tenants => db.Set<Tenant>();
        public DbSet<TenantProject> Projects => db.Set<TenantProject>();
    }
}

internal sealed class TenantEntityTypeConfiguration : IEntityTypeConfiguration<Tenant>
{
    public void Configure(EntityTypeBuilder<Tenant> b)
    {
        b.ToTable("Tenants");
        b.HasIndex(t => t.Slug).IsUnique();
        b.HasIndex(t => t.WaldurCustomerUuid).IsUnique();
        b.Property(t => t.Name).HasMaxLength(200);
        b.Property(t => t.Slug).HasMaxLength(60);
        b.Property(t => t.Email).HasMaxLength(254);
    }
}

internal sealed class TenantProjectEntityTypeConfiguration : IEntityTypeConfiguration<TenantProject>
{
    public void Configure(EntityTypeBuilder<TenantProject> b)
    {
        b.ToTable("Projects");
        b.HasIndex(p => p.WaldurProjectUuid).IsUnique();
        b.HasIndex(p => new { p.TenantId, p.Name });
        b.Property(p => p.Name).HasMaxLength(200);
        b.HasOne(p => p.Tenant).WithMany().HasForeignKey(p => p.TenantId).OnDelete(DeleteBehavior.Restrict);
    }
}
