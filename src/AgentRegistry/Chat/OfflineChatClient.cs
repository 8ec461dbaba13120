using System.Runtime.CompilerServices;
using AgentRegistry.Knowledge;
using Microsoft.Extensions.AI;

namespace AgentRegistry.Chat;

/// <summary>
/// The built-in provider: answers from the retrieved passages handed over in <see cref="ChatOptions.AdditionalProperties"/>
/// with <see cref="OfflineAnswerComposer"/>, no model. Streams the answer word by word and reports token usage.
/// </summary>
public sealed class OfflineChatClient(OfflineAnswerComposer composer, TokenCounter tokens) : IChatClient
{
    public const string PassagesKey = "agentregistry.passages";
    public const string PersonaKey = "agentregistry.persona";
    /// <summary>A <see cref="List{AnswerCitation}"/> the client fills with the sources it used.</summary>
    public const string CitationsKey = "agentregistry.citations";

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var (answer, usage) = Compose(messages.ToList(), options);
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, answer)) { Usage = usage, ModelId = "offline", FinishReason = ChatFinishReason.Stop });
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var (answer, usage) = Compose(messages.ToList(), options);
        foreach (var piece in AnswerPieces.Split(answer))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return new ChatResponseUpdate(ChatRole.Assistant, piece) { ModelId = "offline" };
        }
        yield return new ChatResponseUpdate { Role = ChatRole.Assistant, Contents = [new UsageContent(usage)], FinishReason = ChatFinishReason.Stop };
        await Task.CompletedTask;
    }

    private (string Answer, UsageDetails Usage) Compose(List<ChatMessage> messages, ChatOptions? options)
    {
        var passages = options?.AdditionalProperties?.TryGetValue(PassagesKey, out var p) == true ? (IReadOnlyList<RetrievedPassage>)p! : [];
        var persona = options?.AdditionalProperties?.TryGetValue(PersonaKey, out var s) == true ? (PersonaSettings)s! : new PersonaSettings("Assistant", "I don't know.");
        var question = messages.LastOrDefault(m => m.Role == ChatRole.User)?.Text ?? "";
        var composed = composer.Compose(question, persona, passages);
        if (options?.AdditionalProperties?.TryGetValue(CitationsKey, out var c) == true && c is List<AnswerCitation> citations)
            citations.AddRange(composed.Citations);
        long input = messages.Sum(m => (long)tokens.Count(m.Text));
        long output = tokens.Count(composed.Text);
        return (composed.Text, new UsageDetails { InputTokenCount = input, OutputTokenCount = output, TotalTokenCount = input + output });
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose() { }
}
