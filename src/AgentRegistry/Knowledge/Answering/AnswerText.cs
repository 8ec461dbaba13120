using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace AgentRegistry.Knowledge;

/// <summary>
/// The pieces of a passage an answer may quote (a sentence, a list item, a table row, a line of a record) with the markup
/// that only makes sense in a source file taken off: bullets, checkbox brackets, emphasis, code ticks, table pipes,
/// box-drawing frames. Chunks made by the structured extraction are clean already; older chunks and other formats are not.
/// </summary>
internal static partial class AnswerText
{
    /// <summary>How many pieces of a chunk are embedded at indexing time; later ones are chosen by words alone.</summary>
    public const int MaxEmbeddedPieces = 64;

    /// <summary>
    /// What is embedded for each piece of a chunk's body, in the order of <see cref="Pieces"/>: the piece under the last
    /// heading of its section, so "Weight: 180 g" carries "Technical specifications" with it.
    /// </summary>
    /// <remarks>Null for a fragment no answer quotes (<see cref="IsAnswerPiece"/>): it is not embedded.</remarks>
    public static List<string?> ForEmbedding(string body, string headingPath)
    {
        var cut = headingPath.LastIndexOf(" > ", StringComparison.Ordinal);
        var heading = cut < 0 ? headingPath : headingPath[(cut + 3)..];
        return Pieces(body).Take(MaxEmbeddedPieces)
            .Select(p => !IsAnswerPiece(p, Terms.Of(p)) ? null : heading.Length == 0 ? Unlabelled(p) : $"{heading}: {Unlabelled(p)}").ToList();
    }

    /// <summary>
    /// A row of a two-column table as its meaning reads: "Property: Weight; Value: 180 g" is embedded as "Weight: 180 g".
    /// The column names of such a table say what every row is, not what this one says, and they outweigh a short row's
    /// own words in its embedding. Rows of wider tables keep their column names ("Code: E4; Meaning: Battery low; ...").
    /// </summary>
    internal static string Unlabelled(string piece)
    {
        var match = TwoColumnRow().Match(piece);
        return match.Success ? $"{match.Groups[1].Value}: {match.Groups[2].Value}" : piece;
    }

    [GeneratedRegex(@"^[^:;]{1,40}: ([^;]+); [^:;]{1,40}: ([^;]+)$")]
    private static partial Regex TwoColumnRow();

    /// <summary>Whether a piece may be quoted in an answer: fragments (lone labels, frames) read badly as one.</summary>
    public static bool IsAnswerPiece(string piece, HashSet<string> terms) => terms.Count >= 2 && piece.Length >= 12;

    /// <summary>A piece of a passage (<see cref="Pieces"/>) with its terms and whether an answer may quote it.</summary>
    internal sealed record Piece(string Text, HashSet<string> Terms, bool Quotable);

    private static readonly ConditionalWeakTable<string, Piece[]> Read = new();

    /// <summary>
    /// The passage's pieces with their terms, worked out once per passage: a chunk's body is one string held by the
    /// knowledge cache for as long as the access's knowledge is, so a new question that finds it again reuses them.
    /// </summary>
    public static Piece[] PiecesOf(string passage) => Read.GetValue(passage, static text => Pieces(text).Select(p =>
    {
        var terms = Terms.Of(p);
        return new Piece(p, terms, IsAnswerPiece(p, terms));
    }).ToArray());

    /// <summary>Prose paragraphs give sentences; a paragraph of lines gives one piece per line.</summary>
    public static IEnumerable<string> Pieces(string passage)
    {
        foreach (var paragraph in passage.Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var pieces = paragraph.Contains('\n') ? paragraph.Split('\n') : SentenceSplitter.Split(paragraph);
            foreach (var piece in pieces)
            {
                var clean = Clean(piece);
                if (clean.Length > 0) yield return clean;
            }
        }
    }

    public static string Clean(string piece)
    {
        if (TableSeparator().IsMatch(piece) || Fence().IsMatch(piece)) return string.Empty;
        var text = piece.Trim();
        if (text.Any(Diagram.IsFrame)) text = new string(text.Select(c => Diagram.IsFrame(c) ? ' ' : c).ToArray());
        if (text.StartsWith('|') || text.EndsWith('|')) text = string.Join("; ", text.Trim('|', ' ').Split('|').Select(c => c.Trim()).Where(c => c.Length > 0));
        text = Bullet().Replace(text, "");
        var check = CheckBox().Match(text);
        if (check.Success) text = $"{text[check.Length..]} ({(check.Groups[1].Value is "x" or "X" ? "done" : "to do")})";
        text = MarkdownExtractor.StripInline(text);
        return TextNormalizer.CollapseWhitespace(text.TrimStart('#', ' '));
    }

    [GeneratedRegex(@"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")]
    private static partial Regex TableSeparator();

    [GeneratedRegex(@"^\s*(```|~~~)")]
    private static partial Regex Fence();

    [GeneratedRegex(@"^[-*+•]\s+")]
    private static partial Regex Bullet();

    [GeneratedRegex(@"^\[([ xX])\]\s*")]
    private static partial Regex CheckBox();
}
