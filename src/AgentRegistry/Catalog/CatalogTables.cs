using AgentRegistry.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AgentRegistry.Catalog;

/// <summary>
/// The Catalog feature's tables on the registry's one context (<c>db.Categories</c> ...): the feature names its own entities, so
/// that the data layer names none. Inside a query's lambda use <c>db.Set&lt;T&gt;()</c> (an expression tree cannot hold an
/// extension property).
/// </summary>
public static class CatalogTables
{
    extension(RegistryDb db)
    {
        public DbSet<AgentCategory> Categories => db.Set<AgentCategory>();
        public DbSet<Agent> Agents => db.Set<Agent>();
        public DbSet<AgentPlan> Plans => db.Set<AgentPlan>();
    }
}

internal sealed class AgentCategoryEntityTypeConfiguration : IEntityTypeConfiguration<AgentCategory>
{
    public void Configure(EntityTypeBuilder<AgentCategory> b)
    {
        b.ToTable("Categories");
        b.HasIndex(c => c.Slug).IsUnique();
        b.Property(c => c.Name).HasMaxLength(120);
        b.Property(c => c.Slug).HasMaxLength(60);
        b.Property(c => c.Description).HasMaxLength(4000);
    }
}

internal sealed class AgentEntityTypeConfiguration : IEntityTypeConfiguration<Agent>
{
    public void Configure(EntityTypeBuilder<Agent> b)
    {
        b.ToTable("Agents");
        b.HasIndex(a => a.Slug).IsUnique();
        b.HasIndex(a => a.WaldurOfferingUuid).IsUnique();
        b.Property(a => a.Name).HasMaxLength(120);
        b.Property(a => a.Slug).HasMaxLength(60);
        b.Property(a => a.Description).HasMaxLength(4000);
        b.Property(a => a.DefaultPersona).HasMaxLength(20000);
        b.Property(a => a.WelcomeMessage).HasMaxLength(1000);
        b.Property(a => a.Provider).HasMaxLength(20);
        b.Property(a => a.Endpoint).HasMaxLength(400);
        b.HasOne(a => a.Category).WithMany().HasForeignKey(a => a.CategoryId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(a => a.Plans).WithOne(p => p.Agent).HasForeignKey(p => p.AgentId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AgentPlanEntityTypeConfiguration : IEntityTypeConfiguration<AgentPlan>
{
    public void Configure(EntityTypeBuilder<AgentPlan> b)
    {
        b.ToTable("Plans");
        b.HasIndex(p => new { p.AgentId, p.Name, p.Version }).IsUnique();
        b.Ignore(p => p.IsCurrent);
        b.HasIndex(p => p.WaldurPlanUuid).IsUnique();
        b.Property(p => p.Name).HasMaxLength(120);
        b.Property(p => p.Description).HasMaxLength(4000);
        b.Property(p => p.Unit).HasMaxLength(20);
        b.Property(p => p.UnitPrice).HasPrecision(18, 6);
        b.OwnsMany(p => p.Components, c =>
        {
            c.ToJson();
            c.Property(x => x.Price).HasPrecision(18, 6);
        });
    }
}
