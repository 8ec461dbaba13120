using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using AgentRegistry.Knowledge;
using Microsoft.Extensions.AI;

namespace AgentRegistry.Chat;

/// <summary>
/// The options of one chat turn: what every provider reads (<see cref="ChatOptions"/>), and what the built-in
/// provider answers from, typed. An OpenAI-compatible provider ignores the typed part; nothing of it goes upstream.
/// </summary>
public sealed class GroundedChatOptions : ChatOptions
{
    public required PersonaSettings Persona { get; init; }
    /// <summary>The retrieved passages as the answer composer reads them (one list per search result, reused).</summary>
    public required IReadOnlyList<RetrievedPassage> Passages { get; init; }
    /// <summary>Tokens of the whole prompt, counted once by the chat service.</summary>
    public required long PromptTokens { get; init; }
    /// <summary>Filled by the built-in provider with the sources its answer used.</summary>
    public List<AnswerCitation> Citations { get; } = [];
}

/// <summary>
/// The built-in provider: answers from the retrieved passages of <see cref="GroundedChatOptions"/> with
/// <see cref="OfflineAnswerComposer"/>, no model. Streams the answer word by word and reports token usage. The
/// composition is deterministic, so it is remembered with the passage list it was made from (a question asked again
/// reuses both) and forgotten with it.
/// </summary>
public sealed class OfflineChatClient(OfflineAnswerComposer composer, TokenCounter tokens) : IChatClient
{
    private sealed record Composed(ComposedAnswer Answer, long OutputTokens);

    private readonly ConditionalWeakTable<IReadOnlyList<RetrievedPassage>, ConcurrentDictionary<(string Question, PersonaSettings Persona), Composed>> _composed = new();

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var (answer, usage) = Compose(messages, options);
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, answer)) { Usage = usage, ModelId = "offline", FinishReason = ChatFinishReason.Stop });
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var (answer, usage) = Compose(messages, options);
        foreach (var piece in AnswerPieces.Split(answer))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return new ChatResponseUpdate(ChatRole.Assistant, piece) { ModelId = "offline" };
        }
        yield return new ChatResponseUpdate { Role = ChatRole.Assistant, Contents = [new UsageContent(usage)], FinishReason = ChatFinishReason.Stop };
        await Task.CompletedTask;
    }

    private (string Answer, UsageDetails Usage) Compose(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        var list = messages as IReadOnlyList<ChatMessage> ?? messages.ToList();
        var grounded = options as GroundedChatOptions;
        var persona = grounded?.Persona ?? new PersonaSettings("Assistant", "I don't know.");
        var question = "";
        for (var i = list.Count - 1; i >= 0; i--)
            if (list[i].Role == ChatRole.User) { question = list[i].Text; break; }
        var composed = grounded is null ? Fresh(question, persona, []) : _composed.GetOrCreateValue(grounded.Passages)
            .GetOrAdd((question, persona), k => Fresh(k.Question, k.Persona, grounded.Passages));
        grounded?.Citations.AddRange(composed.Answer.Citations);
        var input = grounded?.PromptTokens ?? list.Sum(m => (long)tokens.Count(m.Text));
        return (composed.Answer.Text,
            new UsageDetails { InputTokenCount = input, OutputTokenCount = composed.OutputTokens, TotalTokenCount = input + composed.OutputTokens });
    }

    private Composed Fresh(string question, PersonaSettings persona, IReadOnlyList<RetrievedPassage> passages)
    {
        var answer = composer.Compose(question, persona, passages);
        return new Composed(answer, tokens.Count(answer.Text));
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose() { }
}
