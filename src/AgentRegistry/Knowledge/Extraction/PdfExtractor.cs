using UglyToad.PdfPig;
using UglyToad.PdfPig.DocumentLayoutAnalysis.TextExtractor;
using UglyToad.PdfPig.Exceptions;

namespace AgentRegistry.Knowledge;

/// <summary>PDF through PdfPig, page by page in content (reading) order. Any parser failure becomes a clean rejection.</summary>
internal sealed class PdfExtractor : IDocumentTextExtractor
{
    public DocumentKind Kind => DocumentKind.Pdf;

    public ExtractedDocument Extract(Stream content, CancellationToken cancellationToken = default)
    {
        var sections = new SectionBuilder(Kind);
        try
        {
            using var pdf = PdfDocument.Open(content, new ParsingOptions { SkipMissingFonts = true });
            foreach (var page in pdf.GetPages())
            {
                cancellationToken.ThrowIfCancellationRequested();
                var text = ContentOrderTextExtractor.GetText(page);
                foreach (var paragraph in PlainTextExtractor.SplitParagraphs(text))
                {
                    sections.Paragraph(paragraph);
                }
            }
        }
        catch (PdfDocumentEncryptedException ex)
        {
            throw new DocumentRejectedException(DocumentRejectionReason.Encrypted, "The PDF is password-protected.", ex);
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or DocumentRejectedException or OutOfMemoryException))
        {
            // PdfPig throws a wide range of exception types on damaged files; all of them mean "we cannot read it".
            throw new DocumentRejectedException(DocumentRejectionReason.Corrupt, $"The PDF could not be read: {ex.Message}", ex);
        }

        try
        {
            return sections.Build();
        }
        catch (DocumentRejectedException ex) when (ex.Reason == DocumentRejectionReason.Empty)
        {
            throw new DocumentRejectedException(DocumentRejectionReason.Empty,
                "The PDF contains no extractable text (it may be a scanned image without a text layer).", ex);
        }
    }
}
