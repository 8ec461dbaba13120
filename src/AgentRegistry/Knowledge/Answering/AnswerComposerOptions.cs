namespace AgentRegistry.Knowledge;

public sealed record AnswerComposerOptions
{
    public int MaxPassages { get; init; } = 5;

    // Defaults tuned on the evaluation set (bench/Knowledge.Bench eval --sweep, docs/benchmarks.md).

    /// <summary>Share of the question's (weighted) terms the best sentence must contain; below it the fallback is returned.</summary>
    public double MinRelevance { get; init; } = 0.25;

    /// <summary>
    /// A passage this close in meaning to the question (cosine of MiniLM embeddings) answers it even when it shares fewer
    /// words with it than <see cref="MinRelevance"/> asks, as long as it shares some: paraphrased questions.
    /// </summary>
    public double MinSimilarity { get; init; } = 0.5;

    /// <summary>Further sentences must score at least this fraction of the best one.</summary>
    public double RelativeCutoff { get; init; } = 0.5;

    /// <summary>
    /// What closeness in meaning is worth beside shared words when pieces are chosen: a piece scores its word relevance
    /// plus this times how far its cosine to the question rises above <see cref="MeaningFloor"/> (scaled to 0..1). 0: words alone.
    /// </summary>
    public double MeaningWeight { get; init; } = 1;

    /// <summary>The cosine of piece and question below which a piece counts as unrelated in meaning.</summary>
    public double MeaningFloor { get; init; } = 0.2;

    /// <summary>
    /// A piece this close in meaning to the question (MiniLM cosine) answers it although it shares few of its words:
    /// "How heavy is the device?" and "Weight: 180 g". Above 1: off.
    /// </summary>
    public double MinPieceSimilarity { get; init; } = 0.45;
}
