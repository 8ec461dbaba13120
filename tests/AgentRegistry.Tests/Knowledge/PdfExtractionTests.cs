using AgentRegistry.Knowledge;

namespace AgentRegistry.Tests.Knowledge;

public sealed class PdfExtractionTests
{
    private readonly DocumentTextReader _reader = new();

    private ExtractedDocument Read(byte[] bytes) => _reader.Read(new MemoryStream(bytes), "doc.pdf", "application/pdf", TestContext.Current.CancellationToken);

    [Fact]
    public void PdfPagesAreExtractedInOrder()
    {
        var pdf = Fixtures.Pdf(
            ["Refund policy", "Refunds are issued within five days."],
            ["Shipping", "We ship worldwide."]);
        var text = string.Join("\n", Read(pdf).Sections.Select(s => s.Text));
        var refunds = text.IndexOf("Refunds are issued within five days.", StringComparison.Ordinal);
        var shipping = text.IndexOf("We ship worldwide.", StringComparison.Ordinal);
        Assert.True(refunds >= 0 && shipping > refunds, text);
    }

    [Fact]
    public void PdfWithoutTextIsRejectedAsEmpty()
    {
        var pdf = Fixtures.Pdf([]);
        Assert.Equal(DocumentRejectionReason.Empty, Assert.Throws<DocumentRejectedException>(() => Read(pdf)).Reason);
    }

    [Fact]
    public void GarbageAfterPdfHeaderIsRejectedAsCorrupt()
    {
        var bytes = "%PDF-1.7\nthis is not really a pdf at all\n"u8.ToArray();
        Assert.Equal(DocumentRejectionReason.Corrupt, Assert.Throws<DocumentRejectedException>(() => Read(bytes)).Reason);
    }

    [Fact]
    public void DamagedPdfsNeverCrashTheReader()
    {
        var original = Fixtures.Pdf(["Some text on a page that will be damaged."]);
        var random = new Random(42);
        for (var i = 0; i < 40; i++)
        {
            var bytes = original[..(i % 2 == 0 ? original.Length : random.Next(16, original.Length))];
            bytes = bytes.ToArray();
            for (var flips = 0; flips < 20; flips++)
            {
                bytes[random.Next(8, bytes.Length)] = (byte)random.Next(256);
            }

            try
            {
                Read(bytes);
            }
            catch (DocumentRejectedException)
            {
                // a clean, typed refusal is the expected failure
            }
        }
    }
}
