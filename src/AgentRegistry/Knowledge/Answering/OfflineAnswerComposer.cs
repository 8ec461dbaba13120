using System.Text;

namespace AgentRegistry.Knowledge;

/// <summary>
/// The built-in "LLM": answers from retrieved passages alone by picking the sentences that share the most (rarer)
/// content words with the question, within the persona's length, in document order, with numbered sources.
/// Deterministic, allocation-light, no model: it runs on the chat hot path.
/// </summary>
public sealed class OfflineAnswerComposer(AnswerComposerOptions? options = null)
{
    private static readonly HashSet<string> Greetings = new(StringComparer.Ordinal)
        { "hi", "hello", "hey", "hallo", "morning", "afternoon", "evening", "good", "thank", "thanks", "there" };

    private readonly AnswerComposerOptions _options = options ?? new AnswerComposerOptions();

    public ComposedAnswer Compose(string question, PersonaSettings persona, IReadOnlyList<RetrievedPassage> passages)
    {
        var questionTerms = Terms.Of(question);
        if (questionTerms.Count > 0 && questionTerms.All(Greetings.Contains))
        {
            return new ComposedAnswer($"Hello! I'm {persona.DisplayName}. How can I help you?", [], IsFallback: false);
        }

        var candidates = Candidates(passages);
        var best = Score(candidates, questionTerms);
        if (best < _options.MinRelevance)
        {
            return Fallback(persona);
        }

        var chosen = Choose(candidates, best, persona.AnswerLength);
        return Render(chosen, persona.CitationsEnabled);
    }

    /// <summary>The answer as small pieces (a word with its trailing space) for server-sent events; they concatenate to the text.</summary>
    public static IEnumerable<string> Stream(ComposedAnswer answer) => AnswerPieces.Split(answer.Text);

    private static ComposedAnswer Fallback(PersonaSettings persona) => new(persona.FallbackAnswer, [], IsFallback: true);

    private List<Candidate> Candidates(IReadOnlyList<RetrievedPassage> passages)
    {
        var ranked = passages
            .Select((passage, index) => (passage, index))
            .OrderByDescending(p => p.passage.Score)
            .ThenBy(p => p.index)
            .Take(_options.MaxPassages)
            .ToArray();
        var maxScore = ranked.Length == 0 ? 0 : ranked.Max(p => p.passage.Score);
        var candidates = new List<Candidate>();
        for (var rank = 0; rank < ranked.Length; rank++)
        {
            var passage = ranked[rank].passage;
            var passageWeight = maxScore > 0 ? Math.Clamp(passage.Score / maxScore, 0, 1) : 1;
            var sentences = SentenceSplitter.Split(passage.Text);
            for (var position = 0; position < sentences.Count; position++)
            {
                var sentence = sentences[position];
                var terms = Terms.Of(sentence);
                // Fragments (table separators, lone headings) read badly as an answer.
                if (terms.Count < 2 || sentence.Length < 12)
                {
                    continue;
                }

                candidates.Add(new Candidate(sentence, terms, passage, rank, position, passageWeight));
            }
        }

        return candidates;
    }

    /// <summary>Scores every candidate; returns the best score. Rare question terms weigh more (inverse frequency over candidates).</summary>
    private static double Score(List<Candidate> candidates, HashSet<string> questionTerms)
    {
        if (candidates.Count == 0 || questionTerms.Count == 0)
        {
            return 0;
        }

        var weights = new Dictionary<string, double>(questionTerms.Count, StringComparer.Ordinal);
        foreach (var term in questionTerms)
        {
            var frequency = candidates.Count(c => c.Terms.Contains(term));
            weights[term] = Math.Log(1 + (candidates.Count + 1.0) / (frequency + 1.0));
        }

        var total = weights.Values.Sum();
        var best = 0.0;
        foreach (var candidate in candidates)
        {
            var matched = 0.0;
            foreach (var (term, weight) in weights)
            {
                if (candidate.Terms.Contains(term))
                {
                    matched += weight;
                }
            }

            candidate.Relevance = matched / total;
            candidate.Score = candidate.Relevance * (0.75 + 0.25 * candidate.PassageWeight);
            best = Math.Max(best, candidate.Relevance);
        }

        return best;
    }

    private List<Candidate> Choose(List<Candidate> candidates, double best, AnswerLength length)
    {
        var (maxSentences, maxChars) = length switch
        {
            AnswerLength.Short => (2, 300),
            AnswerLength.Long => (8, 1500),
            _ => (4, 700),
        };

        var chosen = new List<Candidate>();
        var chars = 0;
        var cutoff = best * _options.RelativeCutoff;
        foreach (var candidate in candidates
                     .Where(c => c.Relevance > 0 && c.Relevance >= cutoff)
                     .OrderByDescending(c => c.Score).ThenBy(c => c.PassageRank).ThenBy(c => c.Position))
        {
            if (chosen.Count == maxSentences)
            {
                break;
            }

            // The first sentence always goes in, even if long; later ones only while they fit.
            if (chosen.Count > 0 && chars + candidate.Text.Length > maxChars)
            {
                continue;
            }

            // Chunk overlap repeats sentences across passages; skip near-duplicates.
            if (chosen.Any(c => Similar(c.Terms, candidate.Terms)))
            {
                continue;
            }

            chosen.Add(candidate);
            chars += candidate.Text.Length + 1;
        }

        chosen.Sort((a, b) => a.PassageRank != b.PassageRank ? a.PassageRank.CompareTo(b.PassageRank) : a.Position.CompareTo(b.Position));
        return chosen;
    }

    private static bool Similar(HashSet<string> a, HashSet<string> b)
    {
        var shared = a.Count(b.Contains);
        return shared >= 0.8 * Math.Min(a.Count, b.Count) && shared >= 0.6 * Math.Max(a.Count, b.Count);
    }

    private static ComposedAnswer Render(List<Candidate> chosen, bool citationsEnabled)
    {
        var text = new StringBuilder();
        var citations = new List<AnswerCitation>();
        for (var i = 0; i < chosen.Count; i++)
        {
            var candidate = chosen[i];
            if (text.Length > 0)
            {
                text.Append(' ');
            }

            text.Append(candidate.Text);
            if (!citationsEnabled)
            {
                continue;
            }

            var source = candidate.Passage;
            var number = citations.FindIndex(c => c.SourceTitle == source.SourceTitle && c.SourceId == source.SourceId) + 1;
            if (number == 0)
            {
                citations.Add(new AnswerCitation(citations.Count + 1, source.SourceTitle, source.SourceId));
                number = citations.Count;
            }

            // One marker per run of sentences from the same source.
            var next = i + 1 < chosen.Count ? chosen[i + 1].Passage : null;
            if (next is null || next.SourceTitle != source.SourceTitle || next.SourceId != source.SourceId)
            {
                text.Append(" [").Append(number).Append(']');
            }
        }

        if (citations.Count > 0)
        {
            text.Append("\n\nSources:");
            foreach (var citation in citations)
            {
                text.Append('\n').Append('[').Append(citation.Number).Append("] ").Append(citation.SourceTitle);
            }
        }

        return new ComposedAnswer(text.ToString(), citations, IsFallback: false);
    }

    private sealed class Candidate(string text, HashSet<string> terms, RetrievedPassage passage, int passageRank, int position, double passageWeight)
    {
        public string Text { get; } = text;
        public HashSet<string> Terms { get; } = terms;
        public RetrievedPassage Passage { get; } = passage;
        public int PassageRank { get; } = passageRank;
        public int Position { get; } = position;
        public double PassageWeight { get; } = passageWeight;
        public double Relevance { get; set; }
        public double Score { get; set; }
    }
}
