using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AgentRegistry.Identity.Tokens;

internal sealed class PersonalAccessTokenModel : IEntityTypeConfiguration<PersonalAccessToken>
{
    public void Configure(EntityTypeBuilder<PersonalAccessToken> b)
    {
        b.HasIndex(t => t.Hash).IsUnique();
        b.HasIndex(t => t.Owner);
        b.Property(t => t.Name).HasMaxLength(100);
        b.Property(t => t.Prefix).HasMaxLength(20);
        b.Property(t => t.Hash).HasMaxLength(32);
        b.Property(t => t.Owner).HasMaxLength(254);
        b.Property(t => t.Role).HasMaxLength(20);
    }
}
