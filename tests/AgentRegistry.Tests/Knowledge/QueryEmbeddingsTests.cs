using System.Collections.Concurrent;
using AgentRegistry.Knowledge;
using Microsoft.Extensions.AI;
using AgentRegistry.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentRegistry.Tests.Knowledge;

public sealed class QueryEmbeddingsTests
{
    /// <summary>Records every model run (the questions it was given); a question's vector is its length and 1.</summary>
    private sealed class CountingGenerator : IEmbeddingGenerator<string, Embedding<float>>
    {
        public readonly ConcurrentQueue<string[]> Runs = new();
        public int Calls => Runs.Count;

        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            var inputs = values.ToArray();
            Runs.Enqueue(inputs);
            return Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(inputs.Select(v => new Embedding<float>(new float[] { v.Length, 1 }))));
        }
        public object? GetService(Type serviceType, object? serviceKey = null) => null;
        public void Dispose() { }
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task QueuedAsync(QueryEmbeddings queries, int count)
    {
        for (var deadline = Deadline.InSeconds(10); queries.Waiting < count; await Task.Delay(5, Ct))
            Assert.True(deadline.Open, $"{count} questions queued ({queries.Waiting} so far)");
        Assert.Equal(count, queries.Waiting);
    }

    [Fact]
    public async Task RepeatedQuestionIsEmbeddedOnce()
    {
        var generator = new CountingGenerator();
        await using var queries = new QueryEmbeddings(generator, NullLogger<QueryEmbeddings>.Instance);
        var first = await queries.EmbedAsync("How do returns work?", Ct);
        var again = await queries.EmbedAsync("  how do RETURNS work?", Ct);
        Assert.Equal(first, again);
        Assert.Equal(1, generator.Calls);
        await queries.EmbedAsync("Something else", Ct);
        Assert.Equal(2, generator.Calls);
    }

    [Fact]
    public async Task QuestionsAskedWhileTheModelIsBusyShareItsNextRun()
    {
        var generator = new CountingGenerator();
        await using var queries = new QueryEmbeddings(generator, NullLogger<QueryEmbeddings>.Instance);
        var questions = Enumerable.Range(1, 12).Select(i => $"Question number {i} about {new string('x', i)}?").ToArray();
        ValueTask<float[]>[] asked;
        using (await queries.HoldAsync())
        {
            asked = questions.Select(q => queries.EmbedAsync(q, Ct)).ToArray();
            await QueuedAsync(queries, questions.Length);
        }
        for (var i = 0; i < asked.Length; i++)
            Assert.Equal([questions[i].Length, 1f], await asked[i]);
        var run = Assert.Single(generator.Runs);
        Assert.Equal(questions.Order(), run.Order());
    }

    [Fact]
    public async Task OneNewQuestionAskedByManyAtOnceIsEmbeddedOnce()
    {
        var generator = new CountingGenerator();
        await using var queries = new QueryEmbeddings(generator, NullLogger<QueryEmbeddings>.Instance);
        ValueTask<float[]>[] asked;
        using (await queries.HoldAsync())
        {
            asked = Enumerable.Range(0, 20).Select(i => queries.EmbedAsync(i % 2 == 0 ? "What is the refund window?" : " what is the REFUND window? ", Ct)).ToArray();
            await QueuedAsync(queries, 1);
        }
        foreach (var answer in asked) Assert.Equal(["What is the refund window?".Length, 1f], await answer);
        Assert.Equal(["What is the refund window?"], Assert.Single(generator.Runs));
    }
}
