namespace AgentRegistry.Cli.E2e;

/// <summary>
/// One environment the E2E runner knows by name (<c>E2E:Environments:&lt;name&gt;</c>); every value can be given or
/// overridden on the command line. Secrets come from environment variables (<c>E2E__Environments__staging__Token</c>).
/// </summary>
public sealed class E2eEnvironment
{
    public string? Url { get; set; }
    /// <summary>An operator's personal access token (<c>ar_pat_...</c>, scope api:write): the full run creates and cleans up with it.</summary>
    public string? Token { get; set; }
    /// <summary>An API key with the chat scope, for the OpenAI-compatible smoke call.</summary>
    public string? ApiKey { get; set; }
    /// <summary>The registry's <c>Waldur:Webhooks:Token</c>, for the test webhook delivery.</summary>
    public string? WebhookToken { get; set; }
    /// <summary>The Waldur emulator's base URL (full run: the customer orders there).</summary>
    public string? WaldurUrl { get; set; }
    public string? WaldurToken { get; set; }
    /// <summary>Only smoke checks may run here (production): the full run is refused.</summary>
    public bool SmokeOnly { get; set; }
}

public static class E2eCategories
{
    public const string Api = "api", Auth = "auth", Webhooks = "webhooks", Widget = "widget", Provider = "provider", Customer = "customer", Billing = "billing";
    public static readonly string[] All = [Webhooks, Provider, Customer, Api, Auth, Widget, Billing];
}
