using AgentRegistry.Access;
using AgentRegistry.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AgentRegistry.Widget;

/// <summary>A chat widget a customer embeds on their site; reachable only from its allowed origins.</summary>
public sealed class ChatWidget : ITenantOwned, IAudited
{
    public Guid Id { get; init; } = Ids.New();
    public Guid TenantId { get; set; }
    public Guid AccessId { get; set; }
    /// <summary>Public key in the embed snippet: <c>wk_</c> + random.</summary>
    public required string Key { get; init; }
    public required string Name { get; set; }
    public List<string> AllowedOrigins { get; set; } = [];
    public string PrimaryColor { get; set; } = "#2563eb";
    public string TextColor { get; set; } = "#ffffff";
    public string Position { get; set; } = "right";
    public string LauncherIcon { get; set; } = "chat";
    public int Radius { get; set; } = 12;
    public string Font { get; set; } = "system-ui, sans-serif";
    public bool DarkMode { get; set; }
    public string Title { get; set; } = "Chat with us";
    public string? AvatarUrl { get; set; }
    public string WelcomeMessage { get; set; } = "Hello! How can I help?";
    public List<string> SuggestedQuestions { get; set; } = [];
    public string Placeholder { get; set; } = "Type your question…";
    public bool AutoOpen { get; set; }
    public bool Enabled { get; set; } = true;
    /// <summary>HMAC secret for identity verification (user_hash = HMAC-SHA256(secret, user_id)), sealed with Data Protection
    /// (<see cref="IdentitySecrets"/>); never shown back.</summary>
    [Secret]
    public string? IdentitySecret { get; set; }
    [Stamped] public DateTime CreatedAt { get; init; }
    [Stamped] public DateTime UpdatedAt { get; set; }
}

internal sealed class ChatWidgetModel : IEntityTypeConfiguration<ChatWidget>
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
