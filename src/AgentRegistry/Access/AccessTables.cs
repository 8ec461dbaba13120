using AgentRegistry.Infrastructure;
using System.Text.Json;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AgentRegistry.Access;

/// <summary>
/// The Access feature's tables on the registry's one context (<c>db.Accesses</c> ...): the feature names its own entities, so
/// that the data layer names none. Inside a query's lambda use <c>db.Set&lt;T&gt;()</c> (an expression tree cannot hold an
/// extension property).
/// </summary>
public static class AccessTables
{
    extension(RegistryDb db)
    {
        public DbSet<AgentAccess> Accesses => db.Set<AgentAccess>();
        public DbSet<AccessPlanPeriod> AccessPlanPeriods => db.Set<AccessPlanPeriod>();
        public DbSet<ApiKey> ApiKeys => db.Set<ApiKey>();
        public DbSet<CustomerConfiguration> CustomerConfigurations => db.Set<CustomerConfiguration>();
        public DbSet<ConfigurationVersion> ConfigurationVersions => db.Set<ConfigurationVersion>();
    }
}

internal sealed class AgentAccessEntityTypeConfiguration : IEntityTypeConfiguration<AgentAccess>
{
    public void Configure(EntityTypeBuilder<AgentAccess> b)
    {
        b.ToTable("Accesses");
        b.Property(a => a.State).HasConversion<string>().HasMaxLength(16);
        b.HasIndex(a => a.WaldurResourceUuid).IsUnique();
        b.HasIndex(a => new { a.TenantId, a.State });
        b.Property(a => a.Name).HasMaxLength(200);
        b.Property(a => a.Limits).HasMaxLength(4000).HasConversion(
            v => JsonSerializer.Serialize(v, (JsonSerializerOptions?)null),
            v => JsonSerializer.Deserialize<Dictionary<string, decimal>>(v, (JsonSerializerOptions?)null) ?? new Dictionary<string, decimal>(),
            new ValueComparer<Dictionary<string, decimal>>((x, y) => x!.Count == y!.Count && !x.Except(y).Any(),
                v => v.Aggregate(0, (h, p) => HashCode.Combine(h, p.Key, p.Value)), v => new Dictionary<string, decimal>(v)));
        b.HasOne(a => a.Tenant).WithMany().HasForeignKey(a => a.TenantId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(a => a.Project).WithMany().HasForeignKey(a => a.ProjectId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(a => a.Agent).WithMany().HasForeignKey(a => a.AgentId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(a => a.Plan).WithMany().HasForeignKey(a => a.PlanId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ApiKeyEntityTypeConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> b)
    {
        b.ToTable("ApiKeys");
        b.HasIndex(k => k.Hash).IsUnique();
        b.HasIndex(k => k.AccessId);
        b.Property(k => k.Name).HasMaxLength(100);
        b.Property(k => k.Prefix).HasMaxLength(20);
        b.Property(k => k.Hash).HasMaxLength(32);
        b.Property(k => k.CreatedBy).HasMaxLength(200);
        b.Property(k => k.SealedPlaintext).HasMaxLength(4000);
        b.HasOne(k => k.Access).WithMany().HasForeignKey(k => k.AccessId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CustomerConfigurationEntityTypeConfiguration : IEntityTypeConfiguration<CustomerConfiguration>
{
    public void Configure(EntityTypeBuilder<CustomerConfiguration> b)
    {
        b.ToTable("CustomerConfigurations");
        b.HasIndex(c => c.AccessId).IsUnique();
        b.Property(c => c.DisplayName).HasMaxLength(100);
        b.Property(c => c.SystemInstructions).HasMaxLength(20000);
        b.Property(c => c.Tone).HasMaxLength(100);
        b.Property(c => c.WelcomeMessage).HasMaxLength(1000);
        b.Property(c => c.FallbackAnswer).HasMaxLength(2000);
        b.Property(c => c.AnswerLength).HasMaxLength(10);
        b.HasOne<AgentAccess>().WithMany().HasForeignKey(c => c.AccessId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ConfigurationVersionEntityTypeConfiguration : IEntityTypeConfiguration<ConfigurationVersion>
{
    public void Configure(EntityTypeBuilder<ConfigurationVersion> b)
    {
        b.ToTable("ConfigurationVersions");
        b.HasIndex(v => new { v.AccessId, v.Version }).IsUnique();
        b.Property(v => v.ChangedBy).HasMaxLength(200);
        b.Property(v => v.Snapshot).HasMaxLength(100_000);
        b.HasOne<AgentAccess>().WithMany().HasForeignKey(v => v.AccessId).OnDelete(DeleteBehavior.Cascade);
    }
}
