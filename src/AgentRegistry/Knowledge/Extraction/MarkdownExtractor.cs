using System.Text;
using System.Text.RegularExpressions;

namespace AgentRegistry.Knowledge;

/// <summary>
/// Markdown read line by line: ATX and setext headings become section markers, lists and table rows stay lines,
/// inline markup (emphasis, links, code ticks) is reduced to its text. A full parser is not needed for retrieval.
/// </summary>
internal sealed partial class MarkdownExtractor : IDocumentTextExtractor
{
    public DocumentKind Kind => DocumentKind.Markdown;

    public ExtractedDocument Extract(Stream content, CancellationToken cancellationToken = default)
    {
        var lines = TextDecoder.Decode(content).Replace("\r\n", "\n").Split('\n');
        var sections = new SectionBuilder(Kind);
        var paragraph = new StringBuilder();
        var inFence = false;

        void FlushParagraph()
        {
            sections.Paragraph(paragraph.ToString());
            paragraph.Clear();
        }

        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal) || line.TrimStart().StartsWith("~~~", StringComparison.Ordinal))
            {
                FlushParagraph();
                inFence = !inFence;
                continue;
            }

            if (inFence)
            {
                sections.Line(line);
                continue;
            }

            var atx = AtxHeading().Match(line);
            if (atx.Success)
            {
                FlushParagraph();
                sections.Heading(atx.Groups[1].Length, StripInline(atx.Groups[2].Value));
                continue;
            }

            if (ThematicBreak().IsMatch(line))
            {
                FlushParagraph();
                continue;
            }

            if (line.Trim().Length > 0 && i + 1 < lines.Length && paragraph.Length == 0 && SetextUnderline().Match(lines[i + 1]) is { Success: true } setext)
            {
                sections.Heading(setext.Groups[1].Value.StartsWith('=') ? 1 : 2, StripInline(line));
                i++;
                continue;
            }

            if (line.Trim().Length == 0)
            {
                FlushParagraph();
                continue;
            }

            if (ListOrTableLine().IsMatch(line))
            {
                FlushParagraph();
                if (!TableSeparator().IsMatch(line))
                {
                    sections.Line(StripInline(line.Trim().Trim('|').Replace("|", " | ")));
                }

                continue;
            }

            paragraph.Append(StripInline(line)).Append(' ');
        }

        FlushParagraph();
        return sections.Build();
    }

    private static string StripInline(string text)
    {
        text = Image().Replace(text, "$1");
        text = Link().Replace(text, "$1");
        text = Emphasis().Replace(text, "$2");
        return text.Replace("`", string.Empty).TrimStart('>', ' ');
    }

    [GeneratedRegex(@"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")]
    private static partial Regex AtxHeading();

    [GeneratedRegex(@"^\s{0,3}(=+|-+)\s*$")]
    private static partial Regex SetextUnderline();

    [GeneratedRegex(@"^\s{0,3}([-*_]\s*){3,}$")]
    private static partial Regex ThematicBreak();

    [GeneratedRegex(@"^\s*([-*+]\s|\d+[.)]\s|\|)")]
    private static partial Regex ListOrTableLine();

    [GeneratedRegex(@"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")]
    private static partial Regex TableSeparator();

    [GeneratedRegex(@"!\[([^\]]*)\]\([^)]*\)")]
    private static partial Regex Image();

    [GeneratedRegex(@"\[([^\]]+)\]\([^)]*\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"(\*\*|__|\*|_)(\S(?:.*?\S)?)\1")]
    private static partial Regex Emphasis();
}
