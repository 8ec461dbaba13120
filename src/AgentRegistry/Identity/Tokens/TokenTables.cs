using AgentRegistry.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AgentRegistry.Identity.Tokens;

/// <summary>The personal access tokens' table on the registry's one context (<c>db.PersonalAccessTokens</c>), as <see cref="IdentityTables"/>.</summary>
public static class TokenTables
{
    extension(RegistryDb db)
    {
        public DbSet<PersonalAccessToken> PersonalAccessTokens => db.Set<PersonalAccessToken>();
    }
}

internal sealed class PersonalAccessTokenEntityTypeConfiguration : IEntityTypeConfiguration<PersonalAccessToken>
{
    public void Configure(EntityTypeBuilder<PersonalAccessToken> b)
    {
        b.ToTable("PersonalAccessTokens");
        b.HasIndex(t => t.Hash).IsUnique();
        b.HasIndex(t => t.Owner);
        b.Property(t => t.Name).HasMaxLength(100);
        b.Property(t => t.Prefix).HasMaxLength(20);
        b.Property(t => t.Hash).HasMaxLength(32);
        b.Property(t => t.Owner).HasMaxLength(254);
        b.Property(t => t.Role).HasMaxLength(20);
    }
}
