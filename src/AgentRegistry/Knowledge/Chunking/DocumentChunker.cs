using System.Text;

namespace AgentRegistry.Knowledge;

/// <summary>
/// Cuts an extracted document into token-bounded chunks. Chunks never cross a section, so every chunk has one heading
/// path; inside a section they end at paragraph boundaries when that wastes little room, else at sentence boundaries,
/// and only a sentence longer than a whole chunk is cut mid-sentence.
/// </summary>
public sealed class DocumentChunker(TokenCounter tokens)
{
    private const string HeadingSeparator = " > ";

    public IReadOnlyList<TextChunk> Chunk(ExtractedDocument document, ChunkingOptions? options = null)
    {
        options ??= new ChunkingOptions();
        options.Validate();
        var chunks = new List<TextChunk>();
        foreach (var section in document.Sections)
        {
            ChunkSection(section, options, chunks);
        }

        return chunks;
    }

    private void ChunkSection(DocumentSection section, ChunkingOptions options, List<TextChunk> chunks)
    {
        var prefix = section.HeadingPath.Count == 0 ? string.Empty : string.Join(HeadingSeparator, section.HeadingPath) + "\n\n";
        // The heading prefix may itself be long; never let it take more than half the budget.
        if (tokens.Count(prefix) > options.TargetTokens / 2)
        {
            prefix = tokens.Truncate(prefix, options.TargetTokens / 2 - 1).TrimEnd() + "\n\n";
        }

        var budget = options.TargetTokens - tokens.Count(prefix);
        var units = Units(section.Text, budget);
        var current = new List<Unit>();
        var used = 0;
        var carried = 0;

        for (var i = 0; i < units.Count; i++)
        {
            var unit = units[i];
            var fits = used + unit.Tokens <= budget;
            // Prefer to end at a paragraph boundary when the chunk is already half full and the paragraph would not fit whole.
            var breakAtParagraph = unit.StartsParagraph && used >= budget / 2 && used + ParagraphTokens(units, i) > budget;
            if (current.Count > carried && (!fits || breakAtParagraph))
            {
                Emit(chunks, section, prefix, current);
                current = Overlap(current, options.OverlapTokens, budget - unit.Tokens);
                used = current.Sum(u => u.Tokens);
                carried = current.Count;
            }

            current.Add(unit);
            used += unit.Tokens;
        }

        if (current.Count > 0)
        {
            Emit(chunks, section, prefix, current);
        }
    }

    private static int ParagraphTokens(List<Unit> units, int start)
    {
        var total = units[start].Tokens;
        for (var i = start + 1; i < units.Count && !units[i].StartsParagraph; i++)
        {
            total += units[i].Tokens;
        }

        return total;
    }

    /// <summary>Trailing sentences of the previous chunk, as many as fit in the overlap and leave room for the next unit.</summary>
    private static List<Unit> Overlap(List<Unit> previous, int overlapTokens, int room)
    {
        var limit = Math.Min(overlapTokens, room);
        var carried = new List<Unit>();
        var total = 0;
        for (var i = previous.Count - 1; i >= 0 && total + previous[i].Tokens <= limit; i--)
        {
            carried.Insert(0, previous[i]);
            total += previous[i].Tokens;
        }

        return carried;
    }

    private void Emit(List<TextChunk> chunks, DocumentSection section, string prefix, List<Unit> units)
    {
        var body = new StringBuilder();
        foreach (var unit in units)
        {
            if (body.Length > 0)
            {
                body.Append(unit.StartsParagraph ? "\n\n" : unit.Separator);
            }

            body.Append(unit.Text);
        }

        var bodyText = body.ToString();
        var text = prefix + bodyText;
        chunks.Add(new TextChunk(chunks.Count, section.HeadingPath, text, bodyText, tokens.Count(text)));
    }

    /// <summary>
    /// Prose paragraphs become sentences. A paragraph of lines (a list, checklist, table, code block, record) is one
    /// unit when it fits in a chunk, so it is kept whole; when it does not, it is cut between lines, never inside one
    /// that fits.
    /// </summary>
    private List<Unit> Units(string text, int budget)
    {
        var units = new List<Unit>();
        foreach (var paragraph in text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var lines = paragraph.Contains('\n');
            var whole = lines ? tokens.Count(paragraph) : int.MaxValue;
            if (whole <= budget)
            {
                units.Add(new Unit(paragraph, whole, true, "\n"));
                continue;
            }

            var first = true;
            foreach (var sentence in lines ? paragraph.Split('\n') : SentenceSplitter.Split(paragraph))
            {
                foreach (var piece in FitToBudget(sentence, budget))
                {
                    units.Add(new Unit(piece, tokens.Count(piece), first, lines ? "\n" : " "));
                    first = false;
                }
            }
        }

        return units;
    }

    private IEnumerable<string> FitToBudget(string sentence, int budget)
    {
        var rest = sentence;
        while (tokens.Count(rest) > budget)
        {
            var head = tokens.Truncate(rest, budget);
            var cut = head.LastIndexOf(' ');
            // Cut at a word boundary unless that throws away most of the piece (long URLs, CJK).
            if (cut > head.Length / 2)
            {
                head = head[..cut];
            }

            if (head.Length == 0)
            {
                break;
            }

            yield return head.Trim();
            rest = rest[head.Length..].TrimStart();
        }

        if (rest.Length > 0)
        {
            yield return rest;
        }
    }

    private readonly record struct Unit(string Text, int Tokens, bool StartsParagraph, string Separator);
}
