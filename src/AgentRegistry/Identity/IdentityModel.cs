using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AgentRegistry.Identity;

internal sealed class LocalAccountModel : IEntityTypeConfiguration<LocalAccount>
{
    public void Configure(EntityTypeBuilder<LocalAccount> b)
    {
        b.HasIndex(a => a.Email).IsUnique();
        b.Property(a => a.Email).HasMaxLength(254);
        b.Property(a => a.DisplayName).HasMaxLength(200);
        b.Property(a => a.PasswordHash).HasMaxLength(200);
        b.Property(a => a.Role).HasMaxLength(20);
        b.Property(a => a.SecurityStamp).HasMaxLength(64);
    }
}
