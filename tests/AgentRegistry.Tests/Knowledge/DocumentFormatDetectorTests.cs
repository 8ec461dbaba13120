using System.Text;

using AgentRegistry.Knowledge;

namespace AgentRegistry.Tests.Knowledge;

public sealed class DocumentFormatDetectorTests
{
    private static DocumentRejectionReason Rejection(string name, string? type, byte[] head) =>
        Assert.Throws<DocumentRejectedException>(() => DocumentFormatDetector.Detect(name, type, head)).Reason;

    [Theory]
    [InlineData("notes.txt", "text/plain", DocumentKind.PlainText)]
    [InlineData("README.md", "text/plain", DocumentKind.Markdown)]
    [InlineData("README.md", "application/octet-stream", DocumentKind.Markdown)]
    [InlineData("page.html", "text/html; charset=utf-8", DocumentKind.Html)]
    [InlineData("prices.csv", "application/vnd.ms-excel", DocumentKind.Csv)]
    [InlineData("noextension", "text/markdown", DocumentKind.Markdown)]
    public void TextKindsAreDetectedFromNameAndType(string name, string type, DocumentKind expected) =>
        Assert.Equal(expected, DocumentFormatDetector.Detect(name, type, "# Hello, world"u8));

    [Fact]
    public void PdfWithPdfMagicIsAccepted() =>
        Assert.Equal(DocumentKind.Pdf, DocumentFormatDetector.Detect("a.pdf", "application/pdf", "%PDF-1.7\n"u8));

    [Fact]
    public void DocxWithZipMagicIsAccepted() =>
        Assert.Equal(DocumentKind.Docx, DocumentFormatDetector.Detect("a.docx", null, [0x50, 0x4B, 0x03, 0x04, 0x14]));

    [Fact]
    public void PdfThatIsNotPdfIsRejectedAsMismatch() =>
        Assert.Equal(DocumentRejectionReason.FormatMismatch, Rejection("invoice.pdf", "application/pdf", Encoding.UTF8.GetBytes("hello there")));

    [Fact]
    public void ExecutableRenamedTxtIsRejected()
    {
        var exe = new byte[512];
        exe[0] = 0x4D;
        exe[1] = 0x5A;
        exe[60] = 0x80;
        Assert.Equal(DocumentRejectionReason.FormatMismatch, Rejection("setup.txt", "text/plain", exe));
    }

    [Fact]
    public void BinaryGarbageInTextTypeIsRejectedAsBinary()
    {
        var bytes = Enumerable.Range(0, 600).Select(i => (byte)(i * 37 % 256)).ToArray();
        bytes[0] = (byte)'x';
        Assert.Equal(DocumentRejectionReason.BinaryContent, Rejection("data.csv", "text/csv", bytes));
    }

    [Fact]
    public void TextStartingWithMzIsStillText() =>
        Assert.Equal(DocumentKind.PlainText, DocumentFormatDetector.Detect("mz.txt", "text/plain", "MZ is a postal code prefix."u8));

    [Fact]
    public void PdfSentAsTextIsMismatch() =>
        Assert.Equal(DocumentRejectionReason.FormatMismatch, Rejection("report.txt", "text/plain", "%PDF-1.4\n%\u00e2"u8.ToArray()));

    [Fact]
    public void DocxExtensionWithPdfContentTypeIsMismatch() =>
        Assert.Equal(DocumentRejectionReason.FormatMismatch, Rejection("a.docx", "application/pdf", [0x50, 0x4B, 0x03, 0x04]));

    [Fact]
    public void LegacyWordFileIsRejectedWithAdvice() =>
        Assert.Equal(DocumentRejectionReason.Encrypted, Rejection("old.docx", null, [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1]));

    [Fact]
    public void UnknownFormatIsUnsupported() =>
        Assert.Equal(DocumentRejectionReason.UnsupportedFormat, Rejection("photo.png", "image/png", [0x89, 0x50, 0x4E, 0x47]));

    [Fact]
    public void EmptyFileIsRejectedAsEmpty() =>
        Assert.Equal(DocumentRejectionReason.Empty, Rejection("a.txt", "text/plain", []));

    [Fact]
    public void Utf16TextWithBomIsText() =>
        Assert.Equal(DocumentKind.PlainText,
            DocumentFormatDetector.Detect("u.txt", "text/plain", [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes("hello")]));

    [Fact]
    public void RejectionCodesAreStableKebabCase()
    {
        var ex = new DocumentRejectedException(DocumentRejectionReason.ArchiveBomb, "x");
        Assert.Equal("archive-bomb", ex.Code);
    }
}
