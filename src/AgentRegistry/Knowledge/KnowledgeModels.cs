using Microsoft.Extensions.AI;

namespace AgentRegistry.Knowledge;

/// <summary>
/// The expensive, immutable, thread-safe models, one per process: MiniLM holds ~90 MB and takes a second to load, the
/// cl100k vocabulary a few hundred milliseconds. Handed to the container as instances so no host disposes them.
/// </summary>
public static class KnowledgeModels
{
    private static readonly Lazy<MiniLmEmbeddingGenerator> LazyMiniLm = new(() => new MiniLmEmbeddingGenerator());
    private static readonly Lazy<TokenCounter> LazyTokens = new(() => new TokenCounter());

    public static MiniLmEmbeddingGenerator MiniLm => LazyMiniLm.Value;
    public static TokenCounter Tokens => LazyTokens.Value;

    public static async Task<float[]> EmbedAsync(this IEmbeddingGenerator<string, Embedding<float>> generator, string text, CancellationToken ct) =>
        (await generator.GenerateAsync([text], cancellationToken: ct))[0].Vector.ToArray();

    public static byte[] ToBytes(ReadOnlySpan<float> vector) => System.Runtime.InteropServices.MemoryMarshal.AsBytes(vector).ToArray();

    public static ReadOnlySpan<float> ToFloats(byte[] bytes) => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes);
}
