using System.Numerics.Tensors;
using Microsoft.Extensions.AI;

using AgentRegistry.Knowledge;

namespace AgentRegistry.Tests.Knowledge;

public sealed class EmbeddingTests
{
    private static async Task<float[][]> Embed(params string[] texts) =>
        (await Shared.MiniLm.GenerateAsync(texts, cancellationToken: TestContext.Current.CancellationToken))
            .Select(e => e.Vector.ToArray()).ToArray();

    [Fact]
    public async Task CloseSentencesScoreHigherThanUnrelatedOnes()
    {
        var v = await Embed(
            "How do I get my money back for a purchase?",
            "Refunds are issued to the original payment method within five days.",
            "The giraffe is the tallest living terrestrial animal.");
        var related = TensorPrimitives.Dot(v[0], v[1]);
        var unrelated = TensorPrimitives.Dot(v[0], v[2]);
        Assert.True(related > unrelated + 0.1f, $"related {related}, unrelated {unrelated}");
    }

    [Fact]
    public async Task VectorsAreUnitLengthAnd384Dimensional()
    {
        var v = await Embed("one", "two sentences here", "");
        Assert.All(v, x =>
        {
            Assert.Equal(MiniLmEmbeddingGenerator.Dimensions, x.Length);
            Assert.Equal(1.0f, TensorPrimitives.Norm(x), 3);
        });
    }

    [Fact]
    public async Task BatchOrderIsPreservedAndMatchesSingleEncoding()
    {
        string[] texts = ["a much longer sentence about invoices and payment terms for customers", "short", "medium length text here"];
        var batch = await Embed(texts);
        for (var i = 0; i < texts.Length; i++)
        {
            var single = (await Embed(texts[i]))[0];
            Assert.True(TensorPrimitives.CosineSimilarity(batch[i], single) > 0.999f);
        }
    }

    [Fact]
    public async Task ConcurrentCallsAreSafe()
    {
        var tasks = Enumerable.Range(0, 8).Select(i => Embed($"parallel sentence {i}", "another one")).ToArray();
        var results = await Task.WhenAll(tasks);
        Assert.All(results, r => Assert.Equal(2, r.Length));
    }

    [Fact]
    public void MetadataDescribesTheModel()
    {
        var metadata = Shared.MiniLm.GetService<EmbeddingGeneratorMetadata>();
        Assert.NotNull(metadata);
        Assert.Equal(MiniLmEmbeddingGenerator.ModelId, metadata.DefaultModelId);
        Assert.Equal(384, metadata.DefaultModelDimensions);
    }
}
