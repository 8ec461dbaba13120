using System.ComponentModel.DataAnnotations;

namespace AgentRegistry.Waldur;

/// <summary>
/// How the webhook receiver is protected. Waldur neither signs nor authenticates its webhooks, so the
/// receiver must: a secret token in the destination URL or a header, an address allowlist, and, where a
/// signing gateway sits in front, Standard Webhooks signatures. Every configured check must pass, and with none
/// configured deliveries are refused unless <see cref="AllowUnprotected"/> says otherwise.
/// </summary>
public sealed class WebhookOptions
{
    public const string Section = "Waldur:Webhooks";

    /// <summary>Shared secret expected in the <c>X-Webhook-Token</c> header or the <c>token</c> query parameter.</summary>
    public string? Token { get; set; }

    /// <summary>Client addresses or CIDR ranges allowed to deliver, e.g. 10.0.0.0/8. Empty: any.</summary>
    public List<string> AllowedNetworks { get; set; } = [];

    /// <summary>Standard Webhooks secrets (<c>whsec_</c> + base64); several during rotation. Empty: no signature check.</summary>
    public List<string> SigningSecrets { get; set; } = [];

    [Range(1, 3600)]
    public int SignatureToleranceSeconds { get; set; } = 300;

    [Range(1024, 10 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 512 * 1024;

    /// <summary>
    /// Accept deliveries when no token, network or signing secret is configured. Off by default: such a receiver would
    /// store whatever anyone posts. On, the registry says so loudly at start and shows Degraded in health.
    /// </summary>
    public bool AllowUnprotected { get; set; }

    /// <summary>Deliveries stored per minute from one client address (429 with Retry-After above it).</summary>
    [Range(1, 10_000_000)]
    public int PerAddressPerMinute { get; set; } = 6000;

    public bool IsProtected => !string.IsNullOrEmpty(Token) || AllowedNetworks.Count > 0 || SigningSecrets.Count > 0;
}

public sealed class InboxOptions
{
    public const string Section = "Waldur:Inbox";

    /// <summary>Process stored webhook events in this instance. Off: only receive (another replica processes).</summary>
    public bool Enabled { get; set; } = true;

    [Range(1, 3600)]
    public int PollSeconds { get; set; } = 2;

    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 12;

    [Range(5, 3600)]
    public int LockSeconds { get; set; } = 120;
}
