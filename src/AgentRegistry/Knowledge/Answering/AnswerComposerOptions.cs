namespace AgentRegistry.Knowledge;

public sealed record AnswerComposerOptions
{
    public int MaxPassages { get; init; } = 5;

    // Defaults tuned on the evaluation set (bench/Knowledge.Bench eval --sweep, docs/benchmarks.md).

    /// <summary>Share of the question's (weighted) terms the best sentence must contain; below it the fallback is returned.</summary>
    public double MinRelevance { get; init; } = 0.2;

    /// <summary>
    /// A passage this close in meaning to the question (cosine of MiniLM embeddings) answers it even when it shares fewer
    /// words with it than <see cref="MinRelevance"/> asks, as long as it shares some: paraphrased questions.
    /// </summary>
    public double MinSimilarity { get; init; } = 0.5;

    /// <summary>Further sentences must score at least this fraction of the best one.</summary>
    public double RelativeCutoff { get; init; } = 0.5;
}
