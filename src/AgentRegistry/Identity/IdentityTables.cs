using AgentRegistry.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AgentRegistry.Identity;

/// <summary>
/// The Identity feature's tables on the registry's one context (<c>db.LocalAccounts</c> ...): the feature names its own entities, so
/// that the data layer names none. Inside a query's lambda use <c>db.Set&lt;T&gt;()</c> (an expression tree cannot hold an
/// extension property).
/// </summary>
public static class IdentityTables
{
    extension(RegistryDb db)
    {
        public DbSet<LocalAccount> LocalAccounts => db.Set<LocalAccount>();
        public DbSet<Membership> Memberships => db.Set<Membership>();
    }
}

internal sealed class LocalAccountEntityTypeConfiguration : IEntityTypeConfiguration<LocalAccount>
{
    public void Configure(EntityTypeBuilder<LocalAccount> b)
    {
        b.ToTable("LocalAccounts");
        b.HasIndex(a => a.Email).IsUnique();
        b.Property(a => a.Email).HasMaxLength(254);
        b.Property(a => a.DisplayName).HasMaxLength(200);
        b.Property(a => a.PasswordHash).HasMaxLength(200);
        b.Property(a => a.Role).HasMaxLength(20);
        b.Property(a => a.SecurityStamp).HasMaxLength(64);
    }
}
