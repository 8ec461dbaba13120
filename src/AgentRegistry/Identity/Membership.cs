using AgentRegistry.Infrastructure;
using AgentRegistry.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AgentRegistry.Identity;

/// <summary>
/// A further tenant a local member account belongs to, beside its home tenant (<see cref="LocalAccount.TenantId"/>).
/// Assigned by an operator; a person with several tenants switches between them in the portal.
/// </summary>
public sealed class Membership
{
    public Guid AccountId { get; init; }
    public Guid TenantId { get; init; }
    [Stamped]
    public DateTime CreatedAt { get; init; }
}

internal sealed class MembershipEntityTypeConfiguration : IEntityTypeConfiguration<Membership>
{
    public void Configure(EntityTypeBuilder<Membership> b)
    {
        b.ToTable("Memberships");
        b.HasKey(m => new { m.AccountId, m.TenantId });
        b.HasIndex(m => m.TenantId);
        b.HasOne<LocalAccount>().WithMany().HasForeignKey(m => m.AccountId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Tenant>().WithMany().HasForeignKey(m => m.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
