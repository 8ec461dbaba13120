namespace AgentRegistry.Knowledge;

/// <summary>Entry point for ingestion: detects the format of an upload and runs the matching extractor.</summary>
public sealed class DocumentTextReader
{
    private readonly Dictionary<DocumentKind, IDocumentTextExtractor> _extractors;

    public DocumentTextReader(ZipLimits? zipLimits = null)
    {
        IDocumentTextExtractor[] extractors =
        [
            new PlainTextExtractor(), new MarkdownExtractor(), new HtmlExtractor(),
            new PdfExtractor(), new DocxExtractor(zipLimits ?? new ZipLimits()), new CsvExtractor(),
        ];
        _extractors = extractors.ToDictionary(e => e.Kind);
    }

    /// <summary>Reads a seekable upload (see <see cref="UploadBuffer"/>); throws <see cref="DocumentRejectedException"/>.</summary>
    public ExtractedDocument Read(Stream content, string? fileName, string? contentType, CancellationToken cancellationToken = default)
    {
        if (!content.CanSeek)
        {
            throw new ArgumentException("The upload stream must be seekable; buffer it first.", nameof(content));
        }

        var head = new byte[DocumentFormatDetector.HeadLength];
        content.Position = 0;
        var length = content.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        content.Position = 0;
        var kind = DocumentFormatDetector.Detect(fileName, contentType, head.AsSpan(0, length));
        return _extractors[kind].Extract(content, cancellationToken);
    }
}
