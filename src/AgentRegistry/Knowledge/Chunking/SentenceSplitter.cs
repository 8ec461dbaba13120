using System.Text.RegularExpressions;

namespace AgentRegistry.Knowledge;

/// <summary>Rule-based sentence boundaries: terminal punctuation followed by whitespace, or a line break.</summary>
public static partial class SentenceSplitter
{
    private static readonly HashSet<string> Abbreviations = new(StringComparer.OrdinalIgnoreCase)
    {
        "e.g.", "i.e.", "etc.", "vs.", "mr.", "mrs.", "ms.", "dr.", "prof.", "inc.", "ltd.", "no.", "fig.", "approx.", "st.",
    };

    public static IReadOnlyList<string> Split(string text)
    {
        var sentences = new List<string>();
        var start = 0;
        foreach (Match boundary in Boundary().Matches(text))
        {
            var end = boundary.Index + boundary.Length;
            var candidate = text[start..end].Trim();
            if (candidate.Length == 0)
            {
                start = end;
                continue;
            }

            if (boundary.Value[0] is '.' && EndsWithAbbreviation(candidate))
            {
                continue;
            }

            sentences.Add(candidate);
            start = end;
        }

        var rest = text[start..].Trim();
        if (rest.Length > 0)
        {
            sentences.Add(rest);
        }

        return sentences;
    }

    private static bool EndsWithAbbreviation(string candidate)
    {
        var lastSpace = candidate.LastIndexOf(' ');
        var lastWord = candidate[(lastSpace + 1)..];
        return Abbreviations.Contains(lastWord) || (lastWord.Length == 2 && char.IsUpper(lastWord[0]));
    }

    // A terminator ('.', '!', '?', '…', optionally followed by closing quotes/brackets) before whitespace, a CJK terminator, or a newline.
    [GeneratedRegex(@"[.!?…]+[""'”’)\]]*(?=\s|$)|[。！？]+|\n")]
    private static partial Regex Boundary();
}
