using System.Runtime.CompilerServices;
using AgentRegistry.Knowledge;

namespace AgentRegistry.Chat;

/// <summary>What a persona and the passages found fix of a prompt: the system prompt, its tokens, and the passages as the answer composer reads them.</summary>
public sealed record Grounding(string SystemPrompt, long SystemPromptTokens, IReadOnlyList<RetrievedPassage> ForAnswer);

/// <summary>
/// Groundings remembered with the passage list and the persona they were made from (a remembered search returns the
/// same list, the persona cache the same persona), so a question asked again neither builds nor counts its prompt
/// again; both references are weak, so a grounding goes when either is forgotten.
/// </summary>
public sealed class Groundings(TokenCounter tokens)
{
    private readonly ConditionalWeakTable<IReadOnlyList<FoundPassage>, ConditionalWeakTable<Persona, Grounding>> _made = new();

    public Grounding For(Persona persona, IReadOnlyList<FoundPassage> passages, IReadOnlyList<string> extra) =>
        extra.Count > 0 ? Make(persona, passages, extra) : _made.GetOrCreateValue(passages).GetValue(persona, p => Make(p, passages, []));

    private Grounding Make(Persona persona, IReadOnlyList<FoundPassage> passages, IReadOnlyList<string> extra)
    {
        var prompt = persona.SystemPrompt(passages, extra);
        return new Grounding(prompt, tokens.Count(prompt), passages.Select(p => p.ForAnswer()).ToList());
    }
}
