using Microsoft.ML.Tokenizers;

namespace AgentRegistry.Knowledge;

/// <summary>
/// Counts tokens with the cl100k_base encoding (GPT-4 / GPT-3.5 family), loaded from the Data package, never from the
/// network. Thread-safe; create once (singleton), as loading the vocabulary takes a few hundred milliseconds.
/// </summary>
public sealed class TokenCounter
{
    private readonly Tokenizer _tokenizer = TiktokenTokenizer.CreateForEncoding("cl100k_base");

    public int Count(string text) => text.Length == 0 ? 0 : _tokenizer.CountTokens(text);

    public int Count(ReadOnlySpan<char> text) => text.IsEmpty ? 0 : _tokenizer.CountTokens(text);

    /// <summary>The longest prefix of <paramref name="text"/> that fits in <paramref name="maxTokens"/> tokens.</summary>
    public string Truncate(string text, int maxTokens)
    {
        var index = _tokenizer.GetIndexByTokenCount(text, maxTokens, out _, out _);
        return index >= text.Length ? text : text[..index];
    }
}
