namespace AgentRegistry.Knowledge;

/// <summary>CSV/TSV: the first row is the header; each record becomes a block of "header: value" lines.</summary>
internal sealed class CsvExtractor : IDocumentTextExtractor
{
    public DocumentKind Kind => DocumentKind.Csv;

    public ExtractedDocument Extract(Stream content, CancellationToken cancellationToken = default)
    {
        var text = TextDecoder.Decode(content);
        var delimiter = GuessDelimiter(text);
        var records = CsvParser.Parse(text, delimiter).GetEnumerator();
        var sections = new SectionBuilder(Kind);
        if (!records.MoveNext())
        {
            return sections.Build();
        }

        var header = records.Current;
        while (records.MoveNext())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var record = records.Current;
            sections.Record(record.Select((value, i) =>
                value.Trim().Length == 0 ? string.Empty
                : i < header.Count && header[i].Trim().Length > 0 ? $"{header[i].Trim()}: {value.Trim()}"
                : value.Trim()));
        }

        return sections.Build();
    }

    private static char GuessDelimiter(string text)
    {
        var end = text.IndexOf('\n');
        var firstLine = end < 0 ? text : text[..end];
        return new[] { ',', ';', '\t', '|' }.MaxBy(c => firstLine.Count(x => x == c));
    }
}
