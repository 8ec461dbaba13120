using AgentRegistry.Knowledge;

namespace AgentRegistry.Tests.Knowledge;

/// <summary>The keyword ranking both databases share: BM25 over the chunks' words, in memory.</summary>
public sealed class KeywordIndexTests
{
    private static readonly (long, string)[] Chunks =
    [
        (1, "Policy > Shipping: orders ship within two days under this policy"),
        (2, "Policy > Refunds: refunds are paid within 14 days under this policy"),
        (3, "Policy > Warranty: the warranty lasts three years under this policy"),
        (4, "Manual > Installation: installing takes twenty minutes"),
    ];

    [Fact]
    public void AChunkSharingTheRarerWordRanksFirstAndChunksSharingNoneAreLeftOut()
    {
        // "policy" stands in three chunks, "refund" in one: the refund chunk is first (a ranking without inverse document
        // frequency, as PostgreSQL's ts_rank, could put any of the three first).
        var hits = KeywordIndex.Build(Chunks).Search("What is the refund policy?", 10);

        Assert.Equal(2, hits[0].Key);
        Assert.Equal([1L, 2L, 3L], hits.Select(h => h.Key).Order());
    }

    [Fact]
    public void WordsMeetTheirOtherForms()
    {
        var hits = KeywordIndex.Build(Chunks).Search("How long does the installation take?", 10);

        Assert.Equal(4, Assert.Single(hits).Key);
        Assert.Equal(4, KeywordIndex.Build(Chunks).Search("Installed?", 10)[0].Key);
    }

    [Fact]
    public void EqualScoresRankInChunkOrderWhateverTheOrderTheChunksWereRead()
    {
        (long, string)[] same = [(7, "Guide: reset the device"), (3, "Guide: reset the device"), (5, "Guide: reset the device")];

        var forward = KeywordIndex.Build(same).Search("reset", 10);
        var backward = KeywordIndex.Build(same.Reverse()).Search("reset", 10);

        Assert.Equal([3L, 5L, 7L], forward.Select(h => h.Key));
        Assert.Equal(forward, backward);
    }

    [Fact]
    public void AnEmptyIndexOrQueryFindsNothing()
    {
        Assert.Empty(KeywordIndex.Empty.Search("refund", 5));
        Assert.Empty(KeywordIndex.Build(Chunks).Search("the of and", 5));
        Assert.Empty(KeywordIndex.Build(Chunks).Search("refund", 0));
    }
}
