using AgentRegistry.Knowledge;

namespace AgentRegistry.Tests.Knowledge;

public sealed class ChunkerTests
{
    private readonly DocumentChunker _chunker = new(Shared.Tokens);

    private static string Sentence(int i) => $"Sentence number {i} explains one rule about the refund and billing process in detail.";

    private static ExtractedDocument Doc(params DocumentSection[] sections) => new(DocumentKind.PlainText, sections);

    [Fact]
    public void TokenCounterCountsCl100kTokens()
    {
        Assert.Equal(0, Shared.Tokens.Count(""));
        Assert.Equal(2, Shared.Tokens.Count("hello world"));
        Assert.Equal("hello", Shared.Tokens.Truncate("hello world again", 1));
    }

    [Fact]
    public void ChunksStayWithinTheTargetAndCoverEverySentence()
    {
        var text = string.Join(" ", Enumerable.Range(0, 200).Select(Sentence));
        var chunks = _chunker.Chunk(Doc(new DocumentSection([], text)), new ChunkingOptions { TargetTokens = 120, OverlapTokens = 30 });

        Assert.True(chunks.Count > 5);
        Assert.All(chunks, c => Assert.InRange(c.TokenCount, 1, 124));
        Assert.All(chunks, c => Assert.Equal(Shared.Tokens.Count(c.Text), c.TokenCount));
        Assert.Equal(Enumerable.Range(0, chunks.Count), chunks.Select(c => c.Ordinal));
        for (var i = 0; i < 200; i++)
        {
            Assert.Contains(chunks, c => c.Text.Contains(Sentence(i), StringComparison.Ordinal));
        }

        // Chunks end on sentence boundaries.
        Assert.All(chunks, c => Assert.EndsWith("detail.", c.Body, StringComparison.Ordinal));
    }

    [Fact]
    public void ConsecutiveChunksOverlap()
    {
        var text = string.Join(" ", Enumerable.Range(0, 60).Select(Sentence));
        var chunks = _chunker.Chunk(Doc(new DocumentSection([], text)), new ChunkingOptions { TargetTokens = 100, OverlapTokens = 40 });
        Assert.True(chunks.Count > 3);
        for (var i = 1; i < chunks.Count; i++)
        {
            var previous = SentenceSplitter.Split(chunks[i - 1].Body);
            var current = SentenceSplitter.Split(chunks[i].Body);
            // The new chunk opens with the previous chunk's last sentence(s): at most the overlap, at least one sentence.
            var carried = current.TakeWhile(previous.Contains).Count();
            Assert.InRange(carried, 1, 2);
            Assert.Equal(previous.TakeLast(carried), current.Take(carried));
        }
    }

    [Fact]
    public void NoOverlapMeansEachSentenceOnce()
    {
        var text = string.Join(" ", Enumerable.Range(0, 60).Select(Sentence));
        var chunks = _chunker.Chunk(Doc(new DocumentSection([], text)), new ChunkingOptions { TargetTokens = 100, OverlapTokens = 0 });
        Assert.Equal(60, chunks.Sum(c => SentenceSplitter.Split(c.Body).Count));
    }

    [Fact]
    public void HeadingPathPrefixesChunkTextAndChunksDoNotCrossSections()
    {
        var chunks = _chunker.Chunk(Doc(
            new DocumentSection(["Handbook", "Refunds"], "Refunds take five days."),
            new DocumentSection(["Handbook", "Shipping"], "We ship worldwide.")));

        Assert.Equal(2, chunks.Count);
        Assert.Equal("Handbook > Refunds\n\nRefunds take five days.", chunks[0].Text);
        Assert.Equal("Refunds take five days.", chunks[0].Body);
        Assert.Equal(["Handbook", "Shipping"], chunks[1].HeadingPath);
    }

    [Fact]
    public void ParagraphBoundaryIsPreferredOverFillingTheChunk()
    {
        var first = string.Join(" ", Enumerable.Range(0, 4).Select(Sentence));
        var second = string.Join(" ", Enumerable.Range(4, 4).Select(Sentence));
        var chunks = _chunker.Chunk(Doc(new DocumentSection([], first + "\n\n" + second)),
            new ChunkingOptions { TargetTokens = 120, OverlapTokens = 0 });
        Assert.Equal(first, chunks[0].Body);
        Assert.Equal(second, chunks[1].Body);
    }

    [Fact]
    public void OverlongSentenceIsCutToFit()
    {
        var longSentence = string.Join(" ", Enumerable.Range(0, 1000).Select(i => $"word{i}"));
        var chunks = _chunker.Chunk(Doc(new DocumentSection([], longSentence)), new ChunkingOptions { TargetTokens = 100, OverlapTokens = 0 });
        Assert.True(chunks.Count >= 10);
        Assert.All(chunks, c => Assert.InRange(c.TokenCount, 1, 100));
        Assert.Equal(longSentence, string.Join(" ", chunks.Select(c => c.Body)));
    }

    [Fact]
    public void InvalidOptionsAreRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            _chunker.Chunk(Doc(new DocumentSection([], "x")), new ChunkingOptions { TargetTokens = 100, OverlapTokens = 80 }));

    [Fact]
    public void SentenceSplitterKeepsAbbreviations() =>
        Assert.Equal(["Dr. Smith uses e.g. tea.", "Then he leaves!", "Really?"],
            SentenceSplitter.Split("Dr. Smith uses e.g. tea. Then he leaves! Really?"));
}
