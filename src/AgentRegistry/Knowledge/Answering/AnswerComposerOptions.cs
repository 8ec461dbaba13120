namespace AgentRegistry.Knowledge;

public sealed record AnswerComposerOptions
{
    public int MaxPassages { get; init; } = 5;

    /// <summary>Share of the question's (weighted) terms the best sentence must contain; below it the fallback is returned.</summary>
    public double MinRelevance { get; init; } = 0.25;

    /// <summary>Further sentences must score at least this fraction of the best one.</summary>
    public double RelativeCutoff { get; init; } = 0.5;
}
