namespace AgentRegistry.Knowledge;

/// <summary>Content words for lexical matching: lower-cased, stop words dropped, crudely stemmed so "refunds" meets "refund".</summary>
internal static class Terms
{
    /// <summary>The query's content words as typed (lower-cased, stop words dropped, unstemmed), first occurrence order.</summary>
    public static IEnumerable<string> Words(string text)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var isWordChar = i < text.Length && char.IsLetterOrDigit(text[i]);
            if (isWordChar && start < 0) start = i;
            else if (!isWordChar && start >= 0)
            {
                var word = text.AsSpan(start, i - start).ToString().ToLowerInvariant();
                if (!StopWords.Contains(word) && seen.Add(word)) yield return word;
                start = -1;
            }
        }
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<string, HashSet<string>> Headings = new();

    /// <summary>The terms of a heading path held by the knowledge cache, worked out once per string (read only: shared).</summary>
    public static HashSet<string> OfHeading(string headingPath) => Headings.GetValue(headingPath, Of);

    public static HashSet<string> Of(string text)
    {
        var terms = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in Keys(text))
        {
            terms.Add(key);
        }

        return terms;
    }

    /// <summary>Every content word of the text as its key (<see cref="Key"/>), repeats included, in order.</summary>
    public static IEnumerable<string> Keys(string text)
    {
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var isWordChar = i < text.Length && char.IsLetterOrDigit(text[i]);
            if (isWordChar && start < 0)
            {
                start = i;
            }
            else if (!isWordChar && start >= 0)
            {
                var word = text.AsSpan(start, i - start).ToString().ToLowerInvariant();
                if (!StopWords.Contains(word))
                {
                    yield return Key(word);
                }

                start = -1;
            }
        }
    }

    /// <summary>
    /// The stem cut to seven letters, so a word meets the other forms of it that crude stemming misses:
    /// "consolidated" and "consolidation", "installing" and "installation".
    /// </summary>
    internal static string Key(string word)
    {
        var stem = Stem(word);
        return stem.Length > 7 ? stem[..7] : stem;
    }

    /// <summary>"shipp" (from "shipping") becomes "ship"; "bill" keeps its double l.</summary>
    private static string UndoubleConsonant(string stem) =>
        stem.Length >= 4 && stem[^1] == stem[^2] && stem[^1] is not ('l' or 's' or 'z') && !"aeiou".Contains(stem[^1])
            ? stem[..^1]
            : stem;

    internal static string Stem(string word)
    {
        if (word.Length <= 3)
        {
            return word;
        }

        if (word.EndsWith("ies", StringComparison.Ordinal) && word.Length > 4)
        {
            return word[..^3] + "y";
        }

        foreach (var suffix in (ReadOnlySpan<string>)["ing", "ed", "es", "s"])
        {
            if (word.EndsWith(suffix, StringComparison.Ordinal) && word.Length - suffix.Length >= 3 && !word.EndsWith("ss", StringComparison.Ordinal))
            {
                return UndoubleConsonant(word[..^suffix.Length]);
            }
        }

        return word;
    }
}
