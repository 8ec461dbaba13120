namespace AgentRegistry.Knowledge;

/// <param name="Text">What is embedded and searched: the heading path as a prefix line, then <paramref name="Body"/>.</param>
/// <param name="Body">The document text alone, for display and for composing answers.</param>
/// <param name="TokenCount">cl100k tokens of <paramref name="Text"/>.</param>
public sealed record TextChunk(int Ordinal, IReadOnlyList<string> HeadingPath, string Text, string Body, int TokenCount);
