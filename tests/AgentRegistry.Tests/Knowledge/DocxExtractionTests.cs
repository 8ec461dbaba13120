using System.Buffers.Binary;
using System.Text;
using DocumentFormat.OpenXml.Wordprocessing;

using AgentRegistry.Knowledge;

namespace AgentRegistry.Tests.Knowledge;

public sealed class DocxExtractionTests
{
    private static ExtractedDocument Read(byte[] bytes, ZipLimits? limits = null) =>
        new DocumentTextReader(limits).Read(new MemoryStream(bytes), "doc.docx", null, TestContext.Current.CancellationToken);

    private static DocumentRejectionReason Rejection(byte[] bytes, ZipLimits? limits = null) =>
        Assert.Throws<DocumentRejectedException>(() => Read(bytes, limits)).Reason;

    [Fact]
    public void HeadingStylesBecomeHeadingPathsAndTablesBecomeRows()
    {
        var docx = Fixtures.Docx(body =>
        {
            body.Append(Fixtures.Para("Employee Handbook", "Title"));
            body.Append(Fixtures.Para("Welcome aboard."));
            body.Append(Fixtures.Para("Leave", "Heading1"));
            body.Append(Fixtures.Para("Annual leave", "Heading2"));
            body.Append(Fixtures.Para("You get 25 days."));
            body.Append(Fixtures.Table(["Type", "Days"], ["Annual", "25"], ["Sick", "10"]));
            body.Append(Fixtures.Para("Pay", "Heading1"));
            body.Append(Fixtures.Para("Paid monthly."));
        });

        var doc = Read(docx);

        Assert.Equal(DocumentKind.Docx, doc.Kind);
        Assert.Collection(doc.Sections,
            s => { Assert.Equal(["Employee Handbook"], s.HeadingPath); Assert.Equal("Welcome aboard.", s.Text); },
            s =>
            {
                Assert.Equal(["Leave", "Annual leave"], s.HeadingPath);
                Assert.Equal("You get 25 days.\nType | Days\nAnnual | 25\nSick | 10", s.Text);
            },
            s => { Assert.Equal(["Pay"], s.HeadingPath); Assert.Equal("Paid monthly.", s.Text); });
    }

    [Fact]
    public void DocxWithNoTextIsEmpty() =>
        Assert.Equal(DocumentRejectionReason.Empty, Rejection(Fixtures.Docx(_ => { })));

    [Fact]
    public void HighlyCompressedEntryIsRefusedAsBomb()
    {
        var bomb = Fixtures.Zip([("word/document.xml", new byte[50 * 1024 * 1024])]);
        Assert.True(bomb.Length < 200_000);
        Assert.Equal(DocumentRejectionReason.ArchiveBomb, Rejection(bomb));
    }

    [Fact]
    public void TooManyEntriesIsRefusedAsBomb()
    {
        var many = Fixtures.Zip(Enumerable.Range(0, 50).Select(i => ($"f{i}.xml", "<a/>"u8.ToArray())));
        Assert.Equal(DocumentRejectionReason.ArchiveBomb, Rejection(many, new ZipLimits { MaxEntries = 10 }));
    }

    [Fact]
    public void TotalUncompressedSizeIsLimited()
    {
        var big = Fixtures.Zip([("a.xml", RandomText(300_000)), ("b.xml", RandomText(300_000))]);
        Assert.Equal(DocumentRejectionReason.ArchiveBomb, Rejection(big, new ZipLimits { MaxUncompressedBytes = 500_000 }));
    }

    [Fact]
    public void UnderstatedSizeTruncatesInsteadOfExpanding()
    {
        var zip = Fixtures.Zip([("word/document.xml", RandomText(400_000))]);
        // Declare 10 bytes (local header and central directory) for 400 KB of data: the runtime must stop at 10.
        PatchUncompressedSize(zip, "PK\u0003\u0004"u8, 22, 10);
        PatchUncompressedSize(zip, "PK\u0001\u0002"u8, 24, 10);
        using var archive = new System.IO.Compression.ZipArchive(new MemoryStream(zip));
        using var entry = archive.Entries[0].Open();
        var inflated = 0;
        var buffer = new byte[65536];
        for (int read; (read = entry.Read(buffer)) > 0;)
        {
            inflated += read;
        }

        Assert.InRange(inflated, 0, 10);
    }

    [Fact]
    public void ZipThatIsNotWordIsCorrupt() =>
        Assert.Equal(DocumentRejectionReason.Corrupt, Rejection(Fixtures.Zip([("hello.txt", "hi"u8.ToArray())])));

    [Fact]
    public void TruncatedZipIsCorrupt()
    {
        var docx = Fixtures.Docx(body => body.Append(Fixtures.Para("Hello")));
        Assert.Equal(DocumentRejectionReason.Corrupt, Rejection(docx[..(docx.Length / 2)]));
    }

    private static byte[] RandomText(int length)
    {
        var random = new Random(length);
        return Encoding.ASCII.GetBytes(Enumerable.Range(0, length).Select(_ => (char)random.Next('a', 'z' + 1)).ToArray());
    }

    private static void PatchUncompressedSize(byte[] zip, ReadOnlySpan<byte> signature, int offset, uint size)
    {
        var at = zip.AsSpan().IndexOf(signature);
        BinaryPrimitives.WriteUInt32LittleEndian(zip.AsSpan(at + offset), size);
    }
}
