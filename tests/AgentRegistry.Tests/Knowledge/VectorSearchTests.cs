using AgentRegistry.Knowledge;

namespace AgentRegistry.Tests.Knowledge;

public sealed class VectorSearchTests
{
    private const int Dimensions = 384;

    private static float[] RandomUnitVector(Random random)
    {
        var v = new float[Dimensions];
        for (var i = 0; i < v.Length; i++)
        {
            v[i] = (float)(random.NextDouble() * 2 - 1);
        }

        var norm = MathF.Sqrt(v.Sum(x => x * x));
        return v.Select(x => x / norm).ToArray();
    }

    private static float Dot(float[] a, float[] b)
    {
        double sum = 0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return (float)sum;
    }

    [Fact]
    public void TopKOverTenThousandVectorsEqualsBruteForce()
    {
        var random = new Random(7);
        var vectors = Enumerable.Range(0, 10_000).Select(_ => RandomUnitVector(random)).ToArray();
        var collection = new VectorCollection<int>(Dimensions);
        for (var i = 0; i < vectors.Length; i++)
        {
            collection.Upsert(i, vectors[i]);
        }

        for (var q = 0; q < 20; q++)
        {
            var query = RandomUnitVector(random);
            var expected = vectors.Select((v, i) => (i, score: Dot(v, query))).OrderByDescending(x => x.score).Take(10).ToArray();
            var actual = collection.Search(query, 10);
            Assert.Equal(expected.Select(e => e.i), actual.Select(a => a.Key));
            Assert.All(expected.Zip(actual), pair => Assert.Equal(pair.First.score, pair.Second.Score, 4));
        }
    }

    [Fact]
    public void UpsertReplacesAndRemoveForgets()
    {
        var random = new Random(1);
        var collection = new VectorCollection<string>(Dimensions, initialCapacity: 1);
        var a = RandomUnitVector(random);
        var b = RandomUnitVector(random);
        collection.Upsert("doc1#0", a);
        collection.Upsert("doc1#1", b);
        collection.Upsert("doc2#0", b);
        Assert.Equal(3, collection.Count);

        collection.Upsert("doc1#0", b);
        Assert.Equal(3, collection.Count);
        Assert.Equal(1f, collection.Search(b, 3)[2].Score, 4);

        Assert.Equal(2, collection.RemoveWhere(k => k.StartsWith("doc1#", StringComparison.Ordinal)));
        var hit = Assert.Single(collection.Search(a, 5));
        Assert.Equal("doc2#0", hit.Key);
        Assert.False(collection.Remove("doc1#0"));
    }

    [Fact]
    public void VectorsAreNormalizedOnInsertSoScoresAreCosines()
    {
        var collection = new VectorCollection<int>(3);
        collection.Upsert(1, [10f, 0f, 0f]);
        Assert.Equal(1f, collection.Search([0.5f, 0f, 0f], 1)[0].Score, 5);
    }

    [Fact]
    public void WrongDimensionsAreRefused() =>
        Assert.Throws<ArgumentException>(() => new VectorCollection<int>(3).Upsert(1, [1f, 2f]));

    [Fact]
    public void ReciprocalRankFusionRewardsAgreement()
    {
        var fused = ReciprocalRankFusion.Fuse(["a", "b", "c"], ["c", "a", "d"]);
        Assert.Equal(["a", "c", "b", "d"], fused.Select(f => f.Key));
        Assert.Equal(1.0 / 61 + 1.0 / 62, fused[0].Score, 6);
        Assert.Equal(1.0 / 63 + 1.0 / 61, fused[1].Score, 6);
    }

    [Fact]
    public void ReciprocalRankFusionUsesK()
    {
        var fused = ReciprocalRankFusion.Fuse(0, ["x", "x", "y"]);
        Assert.Equal(1.0f, fused[0].Score, 6);
        Assert.Equal(1.0f / 3, fused[1].Score, 6);
    }
}
