using AgentRegistry.Access;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AgentRegistry.Chat;

internal sealed class ConversationModel : IEntityTypeConfiguration<Conversation>
{
    public void Configure(EntityTypeBuilder<Conversation> b)
    {
        b.HasIndex(c => new { c.AccessId, c.CreatedAt });
        b.Property(c => c.Title).HasMaxLength(200);
        b.Property(c => c.VisitorId).HasMaxLength(200);
        b.HasOne<AgentAccess>().WithMany().HasForeignKey(c => c.AccessId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class MessageModel : IEntityTypeConfiguration<Message>
{
    public void Configure(EntityTypeBuilder<Message> b)
    {
        b.HasIndex(m => new { m.ConversationId, m.CreatedAt });
        b.Property(m => m.Role).HasMaxLength(16);
        b.HasOne<Conversation>().WithMany().HasForeignKey(m => m.ConversationId).OnDelete(DeleteBehavior.Cascade);
    }
}
