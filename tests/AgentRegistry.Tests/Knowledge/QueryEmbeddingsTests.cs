using AgentRegistry.Knowledge;
using Microsoft.Extensions.AI;

namespace AgentRegistry.Tests.Knowledge;

public sealed class QueryEmbeddingsTests
{
    private sealed class CountingGenerator : IEmbeddingGenerator<string, Embedding<float>>
    {
        public int Calls;
        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref Calls);
            return Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(values.Select(v => new Embedding<float>(new float[] { v.Length, 1 }))));
        }
        public object? GetService(Type serviceType, object? serviceKey = null) => null;
        public void Dispose() { }
    }

    [Fact]
    public async Task RepeatedQuestionIsEmbeddedOnce()
    {
        var generator = new CountingGenerator();
        using var queries = new QueryEmbeddings(generator);
        var first = await queries.EmbedAsync("How do returns work?", TestContext.Current.CancellationToken);
        var again = await queries.EmbedAsync("  how do RETURNS work?", TestContext.Current.CancellationToken);
        Assert.Equal(first, again);
        Assert.Equal(1, generator.Calls);
        await queries.EmbedAsync("Something else", TestContext.Current.CancellationToken);
        Assert.Equal(2, generator.Calls);
    }
}
