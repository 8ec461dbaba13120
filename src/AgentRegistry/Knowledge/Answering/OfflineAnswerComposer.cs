using System.Text;
using System.Text.RegularExpressions;

namespace AgentRegistry.Knowledge;

/// <summary>
/// The built-in "LLM": answers from retrieved passages alone. It picks the pieces that answer the question (sentences,
/// list items, table rows as "column: value" pairs, with source markup taken off), scored by the (rarer) question words
/// they share, counting at half weight the words of the section they stand under, and a little more when they hold what
/// the question asks for (a date for "when", a number for "how many"). Within the persona's length, in document order,
/// citing source and section. Deterministic, allocation-light, no model: it runs on the chat hot path.
/// </summary>
public sealed partial class OfflineAnswerComposer(AnswerComposerOptions? options = null)
{
    private static readonly HashSet<string> Greetings = new(StringComparer.Ordinal)
        { "hi", "hello", "hey", "hallo", "morning", "afternoon", "evening", "good", "thank", "thanks", "there" };

    /// <summary>What a question's own words are worth in the section heading above a piece, relative to the piece itself.</summary>
    private const double SectionWeight = 0.5;

    /// <summary>What an identifier of the question ("E4") is worth beside an ordinary word of the same rarity.</summary>
    private const double IdentifierWeight = 2;

    private readonly AnswerComposerOptions _options = options ?? new AnswerComposerOptions();

    public ComposedAnswer Compose(string question, PersonaSettings persona, IReadOnlyList<RetrievedPassage> passages)
    {
        var questionTerms = Terms.Of(question);
        if (questionTerms.Count > 0 && questionTerms.All(Greetings.Contains))
        {
            return new ComposedAnswer($"Hello! I'm {persona.DisplayName}. How can I help you?", [], IsFallback: false);
        }

        var candidates = Candidates(passages);
        var best = Score(candidates, questionTerms, AnswerType.Of(question), Expectation(question), _options.MeaningFloor);
        var close = passages.Count > 0 && passages.Max(p => p.Similarity) >= _options.MinSimilarity;
        var meant = candidates.Count > 0 && candidates.Max(c => c.Similarity) >= _options.MinPieceSimilarity;
        if (best < _options.MinRelevance && !(close && best >= _options.MinRelevance / 2) && !meant)
        {
            return Fallback(persona);
        }

        best = Weigh(candidates);

        var (maxPieces, maxChars) = persona.AnswerLength switch
        {
            AnswerLength.Short => (2, 300),
            AnswerLength.Long => (8, 1500),
            _ => (4, 700),
        };
        var chosen = Choose(candidates, best, maxPieces, maxChars);
        return Render(chosen, persona.CitationsEnabled, maxChars);
    }

    /// <summary>Every candidate piece as the composer weighs it, best first: what the evaluation bench prints for a miss.</summary>
    internal IReadOnlyList<(string Text, string Section, double Relevance, double Similarity, double Score)> Explain(string question,
        IReadOnlyList<RetrievedPassage> passages)
    {
        var candidates = Candidates(passages);
        Score(candidates, Terms.Of(question), AnswerType.Of(question), Expectation(question), _options.MeaningFloor);
        var words = candidates.ToDictionary(c => c, c => c.Relevance);
        Weigh(candidates);
        return candidates.OrderByDescending(c => c.Score)
            .Select(c => (c.Text, c.Passage.Section, words[c], c.Similarity, c.Score)).ToList();
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
            var section = Terms.OfHeading(passage.Section);
            var sims = passage.PieceSimilarities;
            var position = 0;
            var before = candidates.Count;
            foreach (var piece in AnswerText.PiecesOf(passage.Text))
            {
                if (piece.Quotable)
                {
                    var similarity = sims is not null && position < sims.Count ? sims[position] : 0;
                    candidates.Add(new Candidate(piece.Text, piece.Terms, section, passage, rank, position, passageWeight, similarity));
                }

                position++;
            }

            // A section whose body says nothing quotable (a progress bar, a diagram) may state its fact in its heading:
            // "Overall Status: 8/11 Tasks Complete".
            var heading = LastHeading(passage.Section);
            if (candidates.Count == before && Terms.Of(heading) is var headingTerms && AnswerText.IsAnswerPiece(heading, headingTerms))
            {
                candidates.Add(new Candidate(heading, headingTerms, section, passage, rank, position, passageWeight, 0));
            }
        }

        return candidates;
    }

    /// <summary>
    /// Scores every candidate; returns the best relevance. Rare question terms weigh more (inverse frequency over candidates),
    /// identifiers ("E4", "W1") more still; a term found only in the section heading counts at <see cref="SectionWeight"/>.
    /// The type of value the question asks for counts as one more term, in place of the words that ask for it.
    /// </summary>
    private static double Score(List<Candidate> candidates, HashSet<string> questionTerms, AnswerType? type, Regex? expected, double floor)
    {
        if (candidates.Count == 0 || (questionTerms.Count == 0 && type is null))
        {
            return 0;
        }

        var weights = new Dictionary<string, double>(questionTerms.Count, StringComparer.Ordinal);
        foreach (var term in questionTerms)
        {
            if (type is not null && type.Asking.Contains(term)) continue;
            var frequency = candidates.Count(c => c.Terms.Contains(term));
            weights[term] = Weight(candidates.Count, frequency) * (IsIdentifier(term) ? IdentifierWeight : 1);
        }

        var typeWeight = 0.0;
        if (type is not null)
        {
            var holding = 0;
            foreach (var candidate in candidates)
            {
                // A value of the kind asked for answers only a piece about the question's subject: close in meaning, or
                // sharing a word of it ("180 g" in a recipe does not say how heavy the device is).
                candidate.HoldsType = (candidate.Similarity >= floor || weights.Keys.Any(candidate.Terms.Contains)) && type.Value.IsMatch(candidate.Text);
                if (candidate.HoldsType) holding++;
            }

            typeWeight = Weight(candidates.Count, holding);
            expected = null;
        }

        var total = weights.Values.Sum() + typeWeight;
        if (total <= 0)
        {
            return 0;
        }

        var best = 0.0;
        foreach (var candidate in candidates)
        {
            var matched = 0.0;
            var own = 0;
            if (candidate.HoldsType)
            {
                matched += typeWeight;
                own++;
            }

            foreach (var (term, weight) in weights)
            {
                if (candidate.Terms.Contains(term))
                {
                    matched += weight;
                    own++;
                }
                else if (candidate.Section.Contains(term))
                {
                    matched += weight * SectionWeight;
                }
            }

            candidate.Relevance = matched / total;
            // What the question asks for (a date, a number) lifts a piece that already shares a word with it.
            if (own > 0 && expected is not null && expected.IsMatch(candidate.Text))
            {
                candidate.Relevance *= 1.25;
            }

            candidate.Score = candidate.Relevance * (0.75 + 0.25 * candidate.PassageWeight);
            best = Math.Max(best, candidate.Relevance);
        }

        return best;
    }

    private static double Weight(int candidates, int frequency) => Math.Log(1 + (candidates + 1.0) / (frequency + 1.0));

    /// <summary>A term of letters and digits ("e4", "w1", "t4") names one thing: a code, a model, a terminal.</summary>
    private static bool IsIdentifier(string term) => term.Any(char.IsAsciiDigit) && term.Any(char.IsAsciiLetter);

    /// <summary>
    /// Adds closeness in meaning to each candidate's word relevance (<see cref="AnswerComposerOptions.MeaningWeight"/>),
    /// so the piece that says what was asked in other words wins over a neighbour sharing a word; returns the best total.
    /// </summary>
    private double Weigh(List<Candidate> candidates)
    {
        var best = 0.0;
        var floor = _options.MeaningFloor;
        foreach (var candidate in candidates)
        {
            var meaning = Math.Clamp((candidate.Similarity - floor) / (1 - floor), 0, 1);
            candidate.Relevance += _options.MeaningWeight * meaning;
            candidate.Score = candidate.Relevance * (0.75 + 0.25 * candidate.PassageWeight);
            best = Math.Max(best, candidate.Relevance);
        }

        return best;
    }

    /// <summary>What kind of piece answers the question, from its first words: a date for "when", a number for "how many".</summary>
    private static Regex? Expectation(string question)
    {
        var q = question.TrimStart().ToLowerInvariant();
        if (q.StartsWith("when", StringComparison.Ordinal) || q.Contains("what date", StringComparison.Ordinal)) return DatePattern();
        if (HowMuch().IsMatch(q)) return NumberPattern();
        return null;
    }

    private List<Candidate> Choose(List<Candidate> candidates, double best, int maxPieces, int maxChars)
    {
        var chosen = new List<Candidate>();
        var chars = 0;
        var cutoff = best * _options.RelativeCutoff;
        foreach (var candidate in candidates
                     .Where(c => c.Relevance > 0 && c.Relevance >= cutoff)
                     .OrderByDescending(c => c.Score).ThenBy(c => c.PassageRank).ThenBy(c => c.Position))
        {
            if (chosen.Count == maxPieces)
            {
                break;
            }

            // When the best piece holds the kind of value asked for ("180 g" for "how heavy"), a piece without one does
            // not answer the question, whatever words it shares with it.
            if (chosen.Count > 0 && chosen[0].HoldsType && !candidate.HoldsType)
            {
                continue;
            }

            // The first piece always goes in (cut to the length if need be); later ones only while they fit.
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

    private static ComposedAnswer Render(List<Candidate> chosen, bool citationsEnabled, int maxChars)
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

            text.Append(Sentence(candidate.Text, maxChars));
            if (!citationsEnabled)
            {
                continue;
            }

            var source = candidate.Passage;
            var section = LastHeading(source.Section);
            var number = citations.FindIndex(c => c.SourceTitle == source.SourceTitle && c.SourceId == source.SourceId && c.Section == section) + 1;
            if (number == 0)
            {
                citations.Add(new AnswerCitation(citations.Count + 1, source.SourceTitle, source.SourceId, section));
                number = citations.Count;
            }

            // One marker per run of pieces from the same source and section.
            var next = i + 1 < chosen.Count ? chosen[i + 1].Passage : null;
            if (next is null || next.SourceTitle != source.SourceTitle || next.SourceId != source.SourceId || LastHeading(next.Section) != section)
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
                if (citation.Section.Length > 0) text.Append(", \"").Append(citation.Section).Append('"');
            }
        }

        return new ComposedAnswer(text.ToString(), citations, IsFallback: false);
    }

    /// <summary>A piece as a sentence of the answer: within the length, ending with punctuation so pieces do not run together.</summary>
    private static string Sentence(string piece, int maxChars)
    {
        if (piece.Length > maxChars)
        {
            var cut = piece.LastIndexOf(' ', maxChars - 1);
            piece = piece[..(cut > maxChars / 2 ? cut : maxChars - 1)].TrimEnd(',', ';', ':', ' ') + "…";
        }

        return piece[^1] is '.' or '!' or '?' or '…' or ')' or '"' or '”' ? piece : piece + ".";
    }

    private static string LastHeading(string path)
    {
        var last = path.LastIndexOf(" > ", StringComparison.Ordinal);
        return last < 0 ? path : path[(last + 3)..];
    }

    [GeneratedRegex(@"\b(1[89]|20)\d\d\b|\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d|\b\d{1,2}\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)|\b\d{1,2}:\d\d\b|\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|night|daily|weekly|monthly)\b", RegexOptions.IgnoreCase)]
    private static partial Regex DatePattern();

    [GeneratedRegex(@"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|twelve|hundred|thousand|half|once|twice)\b", RegexOptions.IgnoreCase)]
    private static partial Regex NumberPattern();

    [GeneratedRegex(@"^(how (many|much|long|often|fast|quick|quickly|heavy|big|large|late|early|old|far|precise|accurate)|what (is the )?(price|cost|percentage|fee|size|weight))")]
    private static partial Regex HowMuch();

    private sealed class Candidate(string text, HashSet<string> terms, HashSet<string> section, RetrievedPassage passage, int passageRank,
        int position, double passageWeight, double similarity)
    {
        /// <summary>Cosine of the piece's embedding to the question's; 0 when not known.</summary>
        public double Similarity { get; } = similarity;
        public string Text { get; } = text;
        public HashSet<string> Terms { get; } = terms;
        public HashSet<string> Section { get; } = section;
        public RetrievedPassage Passage { get; } = passage;
        public int PassageRank { get; } = passageRank;
        public int Position { get; } = position;
        public double PassageWeight { get; } = passageWeight;
        public double Relevance { get; set; }
        public double Score { get; set; }
        /// <summary>Whether the piece holds a value of the kind the question asks for (<see cref="AnswerType"/>).</summary>
        public bool HoldsType { get; set; }
    }
}
