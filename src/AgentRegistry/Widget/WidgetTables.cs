using AgentRegistry.Access;
using AgentRegistry.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AgentRegistry.Widget;

/// <summary>
/// The Widget feature's tables on the registry's one context (<c>db.Widgets</c>): the feature names its own entities, so
/// that the data layer names none. Inside a query's lambda use <c>db.Set&lt;T&gt;()</c> (an expression tree cannot hold an
/// extension property).
/// </summary>
public static class WidgetTables
{
    extension(RegistryDb db)
    {
        public DbSet<ChatWidget> Widgets => db.Set<ChatWidget>();
    }
}

internal sealed class ChatWidgetEntityTypeConfiguration : IEntityTypeConfiguration<ChatWidget>
{
    public void Configure(EntityTypeBuilder<ChatWidget> b)
    {
        b.ToTable("Widgets");
        b.HasIndex(w => w.Key).IsUnique();
        b.HasIndex(w => w.AccessId);
        b.Property(w => w.Key).HasMaxLength(40);
        b.Property(w => w.Name).HasMaxLength(100);
        b.Property(w => w.PrimaryColor).HasMaxLength(7);
        b.Property(w => w.TextColor).HasMaxLength(7);
        b.Property(w => w.Position).HasMaxLength(5);
        b.Property(w => w.LauncherIcon).HasMaxLength(20);
        b.Property(w => w.Font).HasMaxLength(200);
        b.Property(w => w.Title).HasMaxLength(100);
        b.Property(w => w.AvatarUrl).HasMaxLength(500);
        b.Property(w => w.WelcomeMessage).HasMaxLength(1000);
        b.Property(w => w.Placeholder).HasMaxLength(200);
        b.Property(w => w.IdentitySecret).HasMaxLength(1000);
        b.HasOne<AgentAccess>().WithMany().HasForeignKey(w => w.AccessId).OnDelete(DeleteBehavior.Cascade);
    }
}
