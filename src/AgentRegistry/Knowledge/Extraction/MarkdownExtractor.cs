using System.Text;
using System.Text.RegularExpressions;

namespace AgentRegistry.Knowledge;

/// <summary>
/// Markdown read line by line, block by block. Headings become the section path. Lists, checklists, "**Label:** value"
/// lines, tables and code blocks become blocks of lines (paragraphs with line breaks), which the chunker keeps whole
/// when they fit; a table row is written as "column: value" pairs, so every row carries its header into any chunk;
/// diagrams drawn with box-drawing characters keep only their words, a line per row. Inline markup (emphasis, links,
/// code ticks) is reduced to its text. A full parser is not needed for retrieval.
/// </summary>
internal sealed partial class MarkdownExtractor : IDocumentTextExtractor
{
    public DocumentKind Kind => DocumentKind.Markdown;

    public ExtractedDocument Extract(Stream content, CancellationToken cancellationToken = default) =>
        Extract(TextDecoder.Decode(content));

    /// <summary>True when plain text is markdown in fact (a ".txt" written in markdown): headings together with other markup.</summary>
    public static bool Recognizes(string text)
    {
        int headings = 0, other = 0;
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            var s = line.ToString();
            if (AtxHeading().IsMatch(s)) headings++;
            else if (s.TrimStart().StartsWith("```", StringComparison.Ordinal) || TableSeparator().IsMatch(s) || FieldLine().IsMatch(s)) other++;
        }
        return headings >= 3 || (headings >= 1 && other >= 1);
    }

    public ExtractedDocument Extract(string text)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n');
        var sections = new SectionBuilder(Kind);
        var paragraph = new StringBuilder();
        var block = new List<string>();
        var table = new List<string>();
        var fence = (string?)null;

        void Flush()
        {
            sections.Paragraph(paragraph.ToString());
            paragraph.Clear();
            sections.Record(block);
            block.Clear();
            sections.Record(Table(table));
            table.Clear();
        }

        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var trimmed = line.TrimStart();
            if (fence is not null)
            {
                if (trimmed.StartsWith(fence, StringComparison.Ordinal))
                {
                    sections.Record(Diagram.IsDrawing(block) ? Diagram.Words(block) : block);
                    block.Clear();
                    fence = null;
                }
                else block.Add(line);
                continue;
            }

            if (trimmed.StartsWith('|'))
            {
                if (paragraph.Length > 0 || block.Count > 0) Flush();
                table.Add(trimmed);
                continue;
            }

            if (table.Count > 0) Flush();
            if (trimmed.StartsWith("```", StringComparison.Ordinal) || trimmed.StartsWith("~~~", StringComparison.Ordinal))
            {
                Flush();
                fence = trimmed[..3];
                continue;
            }

            var atx = AtxHeading().Match(line);
            if (atx.Success)
            {
                Flush();
                sections.Heading(atx.Groups[1].Length, StripInline(atx.Groups[2].Value));
                continue;
            }

            if (ThematicBreak().IsMatch(line) || line.Trim().Length == 0)
            {
                Flush();
                continue;
            }

            if (paragraph.Length == 0 && block.Count == 0 && i + 1 < lines.Length && SetextUnderline().Match(lines[i + 1]) is { Success: true } setext)
            {
                sections.Heading(setext.Groups[1].Value.StartsWith('=') ? 1 : 2, StripInline(line));
                i++;
                continue;
            }

            if (Diagram.HasDrawing(line))
            {
                sections.Paragraph(paragraph.ToString());
                paragraph.Clear();
                block.AddRange(Diagram.Words([line]));
                continue;
            }

            if (ListItem().Match(line) is { Success: true } item)
            {
                if (paragraph.Length > 0) Flush();
                block.Add(ListText(item));
                continue;
            }

            if (FieldLine().IsMatch(line) || (block.Count > 0 && line.StartsWith("  ", StringComparison.Ordinal)))
            {
                if (paragraph.Length > 0) Flush();
                block.Add(StripInline(line.Trim()));
                continue;
            }

            if (block.Count > 0) Flush();
            paragraph.Append(StripInline(line)).Append(' ');
        }

        if (fence is not null) sections.Record(block);
        else Flush();
        return sections.Build();
    }

    /// <summary>Rows under a header (the line before a separator line) as "column: value" pairs; without a header, cells joined by " | ".</summary>
    private static IEnumerable<string> Table(List<string> lines)
    {
        var rows = lines.Where(l => !TableSeparator().IsMatch(l)).Select(Cells).ToList();
        if (lines.Count < 2 || !TableSeparator().IsMatch(lines[1]) || rows.Count < 2)
            return rows.Select(r => string.Join(" | ", r.Where(c => c.Length > 0)));
        return rows.Skip(1).Select(r => Row(rows[0], r));
    }

    private static List<string> Cells(string row) =>
        row.Trim().Trim('|').Split('|').Select(c => StripInline(c.Trim())).ToList();

    /// <summary>A table row as "column: value" pairs; empty cells are left out.</summary>
    private static string Row(List<string> header, List<string> cells) => string.Join("; ", cells
        .Select((cell, i) => (cell, name: i < header.Count ? header[i] : ""))
        .Where(c => c.cell.Length > 0)
        .Select(c => c.name.Length > 0 ? $"{c.name}: {c.cell}" : c.cell));

    /// <summary>A list item without its bullet (numbers stay: they order steps); a checkbox becomes "(done)" or "(to do)".</summary>
    private static string ListText(Match item)
    {
        var text = item.Groups[3].Value;
        var check = CheckBox().Match(text);
        if (check.Success) text = $"{text[check.Length..]} ({(check.Groups[1].Value is "x" or "X" ? "done" : "to do")})";
        var number = item.Groups[2].Value;
        return StripInline((number.Length > 0 ? number + " " : "") + text);
    }

    internal static string StripInline(string text)
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

    [GeneratedRegex(@"^(\s*)(?:[-*+]|(\d+[.)]))\s+(.*)$")]
    private static partial Regex ListItem();

    [GeneratedRegex(@"^\[([ xX])\]\s*")]
    private static partial Regex CheckBox();

    /// <summary>"**Status:** done" or "**Status**: done": a field on a line of its own.</summary>
    [GeneratedRegex(@"^\s*(\*\*|__)[^*_]+(:\1|\1:)")]
    private static partial Regex FieldLine();

    [GeneratedRegex(@"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")]
    private static partial Regex TableSeparator();

    [GeneratedRegex(@"!\[([^\]]*)\]\([^)]*\)")]
    private static partial Regex Image();

    [GeneratedRegex(@"\[([^\]]+)\]\([^)]*\)")]
    private static partial Regex Link();

    // Not inside a word: WALDUR_API_TOKEN and 2*3*4 are not emphasis.
    [GeneratedRegex(@"(?<![\w*_])(\*\*|__|\*|_)(\S(?:.*?\S)?)\1(?![\w*_])")]
    private static partial Regex Emphasis();
}
