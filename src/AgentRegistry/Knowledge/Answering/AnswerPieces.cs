namespace AgentRegistry.Knowledge;

/// <summary>Splits text into word-sized pieces, each keeping its trailing whitespace, so streamed pieces rebuild it exactly.</summary>
public static class AnswerPieces
{
    public static IEnumerable<string> Split(string text)
    {
        var start = 0;
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && !char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            yield return text[start..i];
            start = i;
        }
    }
}
