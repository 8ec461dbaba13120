namespace AgentRegistry.Knowledge;

/// <summary>Plain text: blank lines separate paragraphs; single line breaks inside a paragraph are joined.</summary>
internal sealed class PlainTextExtractor : IDocumentTextExtractor
{
    public DocumentKind Kind => DocumentKind.PlainText;

    public ExtractedDocument Extract(Stream content, CancellationToken cancellationToken = default)
    {
        var text = TextDecoder.Decode(content);
        var sections = new SectionBuilder(Kind);
        foreach (var paragraph in SplitParagraphs(text))
        {
            sections.Paragraph(paragraph);
        }

        return sections.Build();
    }

    internal static IEnumerable<string> SplitParagraphs(string text) =>
        text.Replace("\r\n", "\n").Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
