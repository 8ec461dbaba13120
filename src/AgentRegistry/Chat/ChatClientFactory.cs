using System.ClientModel;
using System.ClientModel.Primitives;
using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using OpenAI;

namespace AgentRegistry.Chat;

/// <summary>The <see cref="IChatClient"/> for an agent's provider: the built-in offline one, or any OpenAI-compatible endpoint.</summary>
public sealed class ChatClientFactory(OfflineChatClient offline, IOptionsMonitor<LlmOptions> llm) : IDisposable
{
    private readonly ConcurrentDictionary<(string Endpoint, string Model, string Key, int Timeout, int Retries), IChatClient> _clients = new();

    public IChatClient For(Persona persona)
    {
        if (persona.Provider is "offline" or "") return offline;
        if (persona.Provider != "openai")
            throw new Infrastructure.ProblemException(502, "llm-misconfigured", $"The agent's provider '{persona.Provider}' is not supported.");
        if (string.IsNullOrWhiteSpace(persona.Model))
            throw new Infrastructure.ProblemException(502, "llm-misconfigured", "The agent has no model configured.");
        var options = llm.CurrentValue;
        var key = options.KeyFor(persona.AgentSlug) ?? "none";
        var endpoint = string.IsNullOrWhiteSpace(persona.Endpoint) ? "https://api.openai.com/v1" : persona.Endpoint;
        return _clients.GetOrAdd((endpoint, persona.Model, key, options.TimeoutSeconds, options.MaxRetries), k =>
            new OpenAI.Chat.ChatClient(k.Model, new ApiKeyCredential(k.Key), new OpenAIClientOptions
            {
                Endpoint = new Uri(k.Endpoint),
                NetworkTimeout = TimeSpan.FromSeconds(k.Timeout),
                RetryPolicy = new ClientRetryPolicy(k.Retries),
            }).AsIChatClient());
    }

    public void Dispose()
    {
        foreach (var client in _clients.Values) client.Dispose();
    }
}
