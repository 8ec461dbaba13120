namespace WaldurEmulator;

/// <summary>Options bound from the "Emulator" configuration section.</summary>
public sealed class EmulatorOptions
{
    public const string Section = "Emulator";
    public const string DefaultToken = "emulator-token";

    /// <summary>API tokens the emulator accepts. Empty means one staff token, "emulator-token".</summary>
    public List<EmulatorToken> Tokens { get; set; } = [];

    /// <summary>Deliver every webhook twice (tests of idempotent receivers).</summary>
    public bool DuplicateWebhooks { get; set; }

    /// <summary>Switch webhook delivery off; events are still recorded.</summary>
    public bool WebhooksEnabled { get; set; } = true;

    /// <summary>When set, /emulator/ control calls must send it in the X-Emulator-Token header.</summary>
    public string? ControlToken { get; set; }

    public int WebhookTimeoutSeconds { get; set; } = 10;
}

public sealed class EmulatorToken
{
    public string Token { get; set; } = "";
    public string Username { get; set; } = "emulator";
    public bool IsStaff { get; set; } = true;
    public bool IsSupport { get; set; }
}
