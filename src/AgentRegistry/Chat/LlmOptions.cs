using System.ComponentModel.DataAnnotations;

namespace AgentRegistry.Chat;

/// <summary>LLM provider settings. API keys live only in configuration (environment, secrets), never in the database or logs.</summary>
public sealed class LlmOptions
{
    public const string Section = "Llm";

    [Range(1, 600)]
    public int TimeoutSeconds { get; set; } = 60;

    /// <summary>Retries of a failed upstream call (with the SDK's exponential backoff).</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 2;

    public string? ApiKey { get; set; }

    /// <summary>The base URL <see cref="ApiKey"/> belongs to: it is sent to agents at this endpoint and to no other.</summary>
    public string Endpoint { get; set; } = "https://api.openai.com/v1";

    /// <summary>
    /// Hosts agents' endpoints may use (exact, or <c>*.example.com</c>). Empty: any host with public addresses. An exact
    /// entry (or an address) also allows internal addresses, e.g. a model server on the private network.
    /// </summary>
    public List<string> AllowedHosts { get; set; } = [];

    /// <summary>Per agent slug: <c>Llm:Providers:&lt;slug&gt;:ApiKey</c> and the <c>Endpoint</c> that key belongs to.</summary>
    public Dictionary<string, ProviderSettings> Providers { get; set; } = [];

    public sealed class ProviderSettings
    {
        public string? ApiKey { get; set; }
        /// <summary>The base URL this key belongs to; empty: <c>Llm:Endpoint</c>.</summary>
        public string? Endpoint { get; set; }
    }

    /// <summary>
    /// The key for an agent at <paramref name="endpoint"/>: its own key, else the default one, each only when the endpoint
    /// is the base URL that key is configured for. A key is never sent to another endpoint.
    /// </summary>
    public string? KeyFor(string agentSlug, Uri endpoint)
    {
        if (Providers.TryGetValue(agentSlug, out var p) && !string.IsNullOrEmpty(p.ApiKey))
            return SameBase(p.Endpoint is { Length: > 0 } own ? own : Endpoint, endpoint) ? p.ApiKey : null;
        return !string.IsNullOrEmpty(ApiKey) && SameBase(Endpoint, endpoint) ? ApiKey : null;
    }

    /// <summary>The endpoints keys are configured for; their hosts are allowed as configured.</summary>
    public IEnumerable<Uri> ConfiguredEndpoints() =>
        Providers.Values.Select(p => p.Endpoint).Append(Endpoint)
            .Select(e => Uri.TryCreate(e, UriKind.Absolute, out var u) ? u : null).OfType<Uri>();

    private static bool SameBase(string configured, Uri endpoint) =>
        Uri.TryCreate(configured, UriKind.Absolute, out var c)
        && string.Equals(c.Scheme, endpoint.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(c.IdnHost, endpoint.IdnHost, StringComparison.OrdinalIgnoreCase) && c.Port == endpoint.Port
        && string.Equals(c.AbsolutePath.TrimEnd('/'), endpoint.AbsolutePath.TrimEnd('/'), StringComparison.Ordinal);
}

public sealed class ChatSettings
{
    public const string Section = "Chat";

    [Range(1, 1_000_000)]
    public int MaxMessageChars { get; set; } = 8000;

    /// <summary>Most messages one request may carry (question, earlier turns and system instructions).</summary>
    [Range(1, 10_000)]
    public int MaxMessages { get; set; } = 100;

    /// <summary>Most characters the messages of one request may hold together.</summary>
    [Range(1, 10_000_000)]
    public int MaxRequestChars { get; set; } = 100_000;

    /// <summary>Largest chat request body, in bytes (413 above it, before it is read).</summary>
    [Range(1024, 100 * 1024 * 1024)]
    public long MaxRequestBytes { get; set; } = 1024 * 1024;

    /// <summary>Earlier messages of the conversation sent along with a new one.</summary>
    [Range(0, 100)]
    public int HistoryMessages { get; set; } = 10;

    /// <summary>How long a persona is used without reading it again. A change saved on this instance applies at once;
    /// on other replicas it takes at most this long.</summary>
    [Range(0, 3600)]
    public int PersonaCacheSeconds { get; set; } = 30;

    public string DefaultFallbackAnswer { get; set; } =
        "I'm sorry, I don't have information about that. Please rephrase your question or contact us directly.";
}
