namespace AgentRegistry.Knowledge;

public sealed record ChunkingOptions
{
    /// <summary>Upper bound for a chunk including its heading prefix; ~300 cl100k tokens also stays under MiniLM's 256 word pieces for most prose.</summary>
    public int TargetTokens { get; init; } = 300;

    /// <summary>Tokens of trailing sentences repeated at the start of the next chunk of the same section.</summary>
    public int OverlapTokens { get; init; } = 50;

    public void Validate()
    {
        if (TargetTokens < 32)
        {
            throw new ArgumentOutOfRangeException(nameof(TargetTokens), TargetTokens, "Chunks need at least 32 tokens.");
        }

        if (OverlapTokens < 0 || OverlapTokens > TargetTokens / 2)
        {
            throw new ArgumentOutOfRangeException(nameof(OverlapTokens), OverlapTokens, "Overlap must be between 0 and half the target size.");
        }
    }
}
