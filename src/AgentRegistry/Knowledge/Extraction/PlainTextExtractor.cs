using System.Text.RegularExpressions;

namespace AgentRegistry.Knowledge;

/// <summary>
/// Plain text: blank lines separate paragraphs; single line breaks inside a paragraph are joined. Text that is markdown
/// in fact (headings with other markup) is read as markdown. A short line of its own that numbers a part ("2. Refunds",
/// "3.1 Changes") or is written in capitals is a heading, so numbered policies and contracts keep their sections.
/// </summary>
internal sealed partial class PlainTextExtractor : IDocumentTextExtractor
{
    public DocumentKind Kind => DocumentKind.PlainText;

    public ExtractedDocument Extract(Stream content, CancellationToken cancellationToken = default)
    {
        var text = TextDecoder.Decode(content);
        if (MarkdownExtractor.Recognizes(text)) return new MarkdownExtractor().Extract(text);
        var sections = new SectionBuilder(Kind);
        foreach (var paragraph in SplitParagraphs(text))
        {
            if (HeadingLevel(paragraph) is { } level) sections.Heading(level, paragraph);
            else sections.Paragraph(paragraph);
        }

        return sections.Build();
    }

    internal static IEnumerable<string> SplitParagraphs(string text) =>
        text.Replace("\r\n", "\n").Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>1 for a title in capitals, 1 + depth for a numbered heading ("2." is 2, "2.1" is 3); null for prose.</summary>
    internal static int? HeadingLevel(string paragraph)
    {
        if (paragraph.Contains('\n') || paragraph.Length > 80 || paragraph[^1] is '.' or ',' or ';' or ':' or '!' or '?') return null;
        if (NumberedHeading().Match(paragraph) is { Success: true } numbered) return 1 + numbered.Groups[1].Value.Split('.', StringSplitOptions.RemoveEmptyEntries).Length;
        var letters = paragraph.Where(char.IsLetter).ToList();
        return letters.Count >= 4 && letters.All(char.IsUpper) && paragraph.Contains(' ') ? 1 : null;
    }

    [GeneratedRegex(@"^(\d{1,3}(?:\.\d{1,3}){0,3})\.?\s+\p{Lu}")]
    private static partial Regex NumberedHeading();
}
