using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AgentRegistry.Catalog;

internal sealed class AgentCategoryModel : IEntityTypeConfiguration<AgentCategory>
{
    public void Configure(EntityTypeBuilder<AgentCategory> b)
    {
        b.HasIndex(c => c.Slug).IsUnique();
        b.Property(c => c.Name).HasMaxLength(120);
        b.Property(c => c.Slug).HasMaxLength(60);
        b.Property(c => c.Description).HasMaxLength(4000);
    }
}

internal sealed class AgentModel : IEntityTypeConfiguration<Agent>
{
    public void Configure(EntityTypeBuilder<Agent> b)
    {
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

internal sealed class AgentPlanModel : IEntityTypeConfiguration<AgentPlan>
{
    public void Configure(EntityTypeBuilder<AgentPlan> b)
    {
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
