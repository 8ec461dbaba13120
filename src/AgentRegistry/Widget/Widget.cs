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
