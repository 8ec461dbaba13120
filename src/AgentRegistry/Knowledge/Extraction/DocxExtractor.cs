using System.Text.RegularExpressions;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace AgentRegistry.Knowledge;

/// <summary>Word documents: heading styles become section markers, tables become "cell | cell" rows.</summary>
internal sealed partial class DocxExtractor(ZipLimits limits) : IDocumentTextExtractor
{
    public DocumentKind Kind => DocumentKind.Docx;

    public ExtractedDocument Extract(Stream content, CancellationToken cancellationToken = default)
    {
        var package = EnsureSeekable(content);
        ZipBombGuard.Check(package, limits);
        try
        {
            using var word = WordprocessingDocument.Open(package, isEditable: false);
            var body = word.MainDocumentPart?.Document?.Body
                ?? throw new DocumentRejectedException(DocumentRejectionReason.Corrupt, "The Word file has no document body.");
            var headingLevels = ReadHeadingStyles(word.MainDocumentPart.StyleDefinitionsPart);
            var sections = new SectionBuilder(Kind);
            foreach (var element in body.ChildElements)
            {
                cancellationToken.ThrowIfCancellationRequested();
                switch (element)
                {
                    case Paragraph paragraph:
                        AddParagraph(sections, paragraph, headingLevels);
                        break;
                    case Table table:
                        AddTable(sections, table);
                        break;
                }
            }

            return sections.Build();
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or DocumentRejectedException or OutOfMemoryException))
        {
            // OpenXmlPackageException, XmlException, InvalidDataException, FileFormatException and friends: all "unreadable".
            throw new DocumentRejectedException(DocumentRejectionReason.Corrupt, $"The Word file could not be read: {ex.Message}", ex);
        }
    }

    private static void AddParagraph(SectionBuilder sections, Paragraph paragraph, Dictionary<string, int> headingLevels)
    {
        var text = ParagraphText(paragraph);
        var properties = paragraph.ParagraphProperties;
        var styleId = properties?.ParagraphStyleId?.Val?.Value;
        int? level = styleId is not null && headingLevels.TryGetValue(styleId, out var styled) ? styled : HeadingLevelFromName(styleId);
        level ??= properties?.OutlineLevel?.Val?.Value is int outline && outline < 9 ? outline + 1 : null;
        if (level is int headingLevel)
        {
            sections.Heading(headingLevel, text);
        }
        else
        {
            sections.Paragraph(text);
        }
    }

    private static void AddTable(SectionBuilder sections, Table table)
    {
        foreach (var row in table.Elements<TableRow>())
        {
            var cells = row.Elements<TableCell>()
                .Select(cell => string.Join(' ', cell.Elements<Paragraph>().Select(ParagraphText)))
                .Select(TextNormalizer.CollapseWhitespace);
            sections.Line(string.Join(" | ", cells));
        }
    }

    private static string ParagraphText(Paragraph paragraph) =>
        string.Concat(paragraph.Descendants().Select(e => e switch
        {
            Text t => t.Text,
            TabChar or Break or CarriageReturn => " ",
            _ => string.Empty,
        }));

    /// <summary>Maps style ids to heading levels via the style's name ("heading 2", "Title") or its outline level.</summary>
    private static Dictionary<string, int> ReadHeadingStyles(StyleDefinitionsPart? stylesPart)
    {
        var levels = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var style in stylesPart?.Styles?.Elements<Style>() ?? [])
        {
            if (style.StyleId?.Value is not string id)
            {
                continue;
            }

            var level = HeadingLevelFromName(style.StyleName?.Val?.Value)
                ?? (style.StyleParagraphProperties?.OutlineLevel?.Val?.Value is int outline && outline < 9 ? outline + 1 : null);
            if (level is int found)
            {
                levels[id] = found;
            }
        }

        return levels;
    }

    private static int? HeadingLevelFromName(string? name)
    {
        if (name is null)
        {
            return null;
        }

        if (name.Equals("Title", StringComparison.OrdinalIgnoreCase))
        {
            return 1;
        }

        var match = HeadingName().Match(name);
        return match.Success ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : null;
    }

    private static Stream EnsureSeekable(Stream content)
    {
        if (content.CanSeek)
        {
            return content;
        }

        var copy = new MemoryStream();
        content.CopyTo(copy);
        copy.Position = 0;
        return copy;
    }

    [GeneratedRegex(@"^heading\s*([1-9])$", RegexOptions.IgnoreCase)]
    private static partial Regex HeadingName();
}
