using System.Globalization;
using Microsoft.ML.Tokenizers;

namespace AgentRegistry.Knowledge;

/// <summary>
/// Counts tokens with the cl100k_base encoding (GPT-4 / GPT-3.5 family), loaded from the Data package, never from the
/// network. Thread-safe; create once (singleton), as loading the vocabulary takes a few hundred milliseconds.
/// <para>
/// Byte-pair merging costs the square of a pre-token's length, and the encoding's pre-tokenizer keeps a run of letters
/// (or of punctuation, or of spaces) as one pre-token however long it is: a 300,000-letter "word" cost about 30 s.
/// So the text is cut into pieces wherever a run of one kind of character reaches <see cref="MaxRun"/> characters,
/// and each piece is tokenized on its own: linear time whatever the input, and the same count as before for any
/// text without such runs (words, numbers, URLs, code). The one token counter of chat and document chunking.
/// </para>
/// </summary>
public sealed class TokenCounter
{
    /// <summary>Longest run of one kind of character tokenized as one piece; no real word comes near it.</summary>
    public const int MaxRun = 100;

    private readonly Tokenizer _tokenizer = TiktokenTokenizer.CreateForEncoding("cl100k_base");

    public int Count(string text) => Count(text.AsSpan());

    public int Count(ReadOnlySpan<char> text)
    {
        var total = 0;
        for (var start = 0; start < text.Length;)
        {
            var end = PieceEnd(text, start);
            total += _tokenizer.CountTokens(text[start..end]);
            start = end;
        }
        return total;
    }

    /// <summary>The longest prefix of <paramref name="text"/> that fits in <paramref name="maxTokens"/> tokens.</summary>
    public string Truncate(string text, int maxTokens)
    {
        var used = 0;
        for (var start = 0; start < text.Length;)
        {
            var end = PieceEnd(text, start);
            var piece = text[start..end];
            var tokens = _tokenizer.CountTokens(piece);
            if (used + tokens > maxTokens)
            {
                var index = _tokenizer.GetIndexByTokenCount(piece, maxTokens - used, out _, out _);
                return text[..(start + Math.Min(index, piece.Length))];
            }
            used += tokens;
            start = end;
        }
        return text;
    }

    /// <summary>Where the piece that starts at <paramref name="start"/> ends: at the end, or where a run reaches <see cref="MaxRun"/>.</summary>
    internal static int PieceEnd(ReadOnlySpan<char> text, int start)
    {
        var kind = Kind(text[start]);
        var run = 1;
        for (var i = start + 1; i < text.Length; i++)
        {
            var k = Kind(text[i]);
            if (k != kind) { kind = k; run = 1; continue; }
            if (++run <= MaxRun) continue;
            // Never between the two halves of a surrogate pair.
            return char.IsLowSurrogate(text[i]) ? i + 1 : i;
        }
        return text.Length;
    }

    private static int Kind(char c) => char.GetUnicodeCategory(c) switch
    {
        UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Control => 0,
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter => 1,
        UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => 2,
        _ => 3,
    };
}
