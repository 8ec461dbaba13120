using System.ClientModel;
using System.ClientModel.Primitives;
using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using OpenAI;

namespace AgentRegistry.Chat;

/// <summary>
/// The <see cref="IChatClient"/> for an agent's provider: the built-in offline one, or any OpenAI-compatible endpoint
/// the <see cref="UpstreamGuard"/> allows, with the key configured for that endpoint (or none).
/// </summary>
public sealed class ChatClientFactory(OfflineChatClient offline, IOptionsMonitor<LlmOptions> llm, UpstreamGuard guard) : IDisposable
{
    private readonly ConcurrentDictionary<(string Endpoint, string Model, string Key, int Timeout, int Retries), IChatClient> _clients = new();
    private readonly Lazy<HttpClient> _http = new(() => new HttpClient(new SocketsHttpHandler
    {
        ConnectCallback = guard.ConnectAsync,
        // A redirect could lead anywhere; a proxy would connect instead of the guard.
        AllowAutoRedirect = false, UseProxy = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    }) { Timeout = Timeout.InfiniteTimeSpan });
    private readonly IChatClient _offline = ChatMetrics.Measured(offline);

    public IChatClient For(Persona persona)
    {
        if (persona.Provider is "offline" or "") return _offline;
        if (persona.Provider != "openai")
            throw new Infrastructure.ProblemException(502, "llm-misconfigured", $"The agent's provider '{persona.Provider}' is not supported.");
        if (string.IsNullOrWhiteSpace(persona.Model))
            throw new Infrastructure.ProblemException(502, "llm-misconfigured", "The agent has no model configured.");
        var options = llm.CurrentValue;
        if (!Uri.TryCreate(string.IsNullOrWhiteSpace(persona.Endpoint) ? options.Endpoint : persona.Endpoint, UriKind.Absolute, out var endpoint))
            throw new Infrastructure.ProblemException(502, "llm-misconfigured", "The agent's endpoint is not an absolute URL.");
        if (guard.Refusal(endpoint) is { } refusal) throw new Infrastructure.ProblemException(502, "llm-endpoint-refused", refusal);
        var key = options.KeyFor(persona.AgentSlug, endpoint) ?? "none";
        return _clients.GetOrAdd((endpoint.ToString(), persona.Model, key, options.TimeoutSeconds, options.MaxRetries), k => ChatMetrics.Measured(
            new OpenAI.Chat.ChatClient(k.Model, new ApiKeyCredential(k.Key), new OpenAIClientOptions
            {
                Endpoint = new Uri(k.Endpoint),
                NetworkTimeout = TimeSpan.FromSeconds(k.Timeout),
                RetryPolicy = new ClientRetryPolicy(k.Retries),
                Transport = new HttpClientPipelineTransport(_http.Value),
            }).AsIChatClient()));
    }

    public void Dispose()
    {
        foreach (var client in _clients.Values) client.Dispose();
        if (_http.IsValueCreated) _http.Value.Dispose();
    }
}
