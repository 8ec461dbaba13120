using AgentRegistry.Knowledge;

namespace AgentRegistry.Tests.Knowledge;

/// <summary>Expensive singletons shared across tests, as the host shares them across requests.</summary>
internal static class Shared
{
    private static readonly Lazy<TokenCounter> LazyTokens = new(() => new TokenCounter());
    private static readonly Lazy<MiniLmEmbeddingGenerator> LazyMiniLm = new(() => new MiniLmEmbeddingGenerator());

    public static TokenCounter Tokens => LazyTokens.Value;

    public static MiniLmEmbeddingGenerator MiniLm => LazyMiniLm.Value;
}
