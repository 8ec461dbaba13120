using AgentRegistry.Infrastructure;
using AgentRegistry.Access;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AgentRegistry.Chat;

/// <summary>
/// The Chat feature's tables on the registry's one context (<c>db.Conversations</c> ...): the feature names its own entities, so
/// that the data layer names none. Inside a query's lambda use <c>db.Set&lt;T&gt;()</c> (an expression tree cannot hold an
/// extension property).
/// </summary>
public static class ChatTables
{
    extension(RegistryDb db)
    {
        public DbSet<Conversation> Conversations => db.Set<Conversation>();
        public DbSet<Message> Messages => db.Set<Message>();
    }
}

internal sealed class ConversationEntityTypeConfiguration : IEntityTypeConfiguration<Conversation>
{
    public void Configure(EntityTypeBuilder<Conversation> b)
    {
        b.ToTable("Conversations");
        b.HasIndex(c => new { c.AccessId, c.CreatedAt });
        b.Property(c => c.Title).HasMaxLength(200);
        b.Property(c => c.VisitorId).HasMaxLength(200);
        b.HasOne<AgentAccess>().WithMany().HasForeignKey(c => c.AccessId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class MessageEntityTypeConfiguration : IEntityTypeConfiguration<Message>
{
    public void Configure(EntityTypeBuilder<Message> b)
    {
        b.ToTable("Messages");
        b.HasIndex(m => new { m.ConversationId, m.CreatedAt });
        b.Property(m => m.Role).HasMaxLength(16);
        b.HasOne<Conversation>().WithMany().HasForeignKey(m => m.ConversationId).OnDelete(DeleteBehavior.Cascade);
    }
}
