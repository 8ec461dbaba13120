namespace AgentRegistry.Knowledge;

/// <summary>Bounds checked before an OOXML package is opened, so a zip bomb is refused instead of inflated.</summary>
public sealed record ZipLimits
{
    public long MaxUncompressedBytes { get; init; } = 128L * 1024 * 1024;

    public int MaxEntries { get; init; } = 2_000;

    /// <summary>Applies to entries above <see cref="RatioCheckThresholdBytes"/>; ordinary Word XML compresses 5-30x.</summary>
    public double MaxCompressionRatio { get; init; } = 200;

    public long RatioCheckThresholdBytes { get; init; } = 1024 * 1024;
}
