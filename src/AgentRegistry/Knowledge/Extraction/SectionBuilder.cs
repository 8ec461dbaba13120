using System.Text;

namespace AgentRegistry.Knowledge;

/// <summary>Collects paragraphs under a heading stack, so every extractor builds sections the same way.</summary>
internal sealed class SectionBuilder(DocumentKind kind)
{
    private readonly List<DocumentSection> _sections = [];
    private readonly List<(int Level, string Text)> _headings = [];
    private readonly StringBuilder _text = new();

    public void Heading(int level, string text)
    {
        text = TextNormalizer.CollapseWhitespace(text);
        if (text.Length == 0)
        {
            return;
        }

        Flush();
        _headings.RemoveAll(h => h.Level >= level);
        _headings.Add((level, text));
    }

    public void Paragraph(string text)
    {
        text = TextNormalizer.CollapseWhitespace(text);
        if (text.Length == 0)
        {
            return;
        }

        if (_text.Length > 0)
        {
            _text.Append("\n\n");
        }

        _text.Append(text);
    }

    /// <summary>Lines kept as lines (table rows, CSV records, preformatted blocks).</summary>
    public void Line(string text)
    {
        text = TextNormalizer.CollapseWhitespace(text);
        if (text.Length == 0)
        {
            return;
        }

        if (_text.Length > 0)
        {
            _text.Append('\n');
        }

        _text.Append(text);
    }

    /// <summary>A paragraph whose line breaks matter (a CSV record rendered as "header: value" lines).</summary>
    public void Record(IEnumerable<string> lines)
    {
        var kept = lines.Select(TextNormalizer.CollapseWhitespace).Where(l => l.Length > 0).ToArray();
        if (kept.Length == 0)
        {
            return;
        }

        if (_text.Length > 0)
        {
            _text.Append("\n\n");
        }

        _text.AppendJoin('\n', kept);
    }

    public ExtractedDocument Build()
    {
        Flush();
        if (_sections.Count == 0)
        {
            throw new DocumentRejectedException(DocumentRejectionReason.Empty, "The document contains no readable text.");
        }

        return new ExtractedDocument(kind, _sections.ToArray());
    }

    private void Flush()
    {
        if (_text.Length == 0)
        {
            return;
        }

        _sections.Add(new DocumentSection(_headings.Select(h => h.Text).ToArray(), _text.ToString()));
        _text.Clear();
    }
}
