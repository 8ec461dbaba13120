namespace AgentRegistry.Knowledge;

internal static class StopWords
{
    private static readonly HashSet<string> English = new(StringComparer.Ordinal)
    {
        "a", "about", "above", "after", "again", "against", "all", "am", "an", "and", "any", "are", "as", "at", "be",
        "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "could", "did", "do",
        "does", "doing", "down", "during", "each", "few", "for", "from", "further", "get", "got", "had", "has", "have",
        "having", "he", "her", "here", "hers", "herself", "him", "himself", "his", "how", "i", "if", "in", "into", "is",
        "it", "its", "itself", "just", "me", "might", "more", "most", "must", "my", "myself", "no", "nor", "not", "now",
        "of", "off", "on", "once", "only", "or", "other", "our", "ours", "ourselves", "out", "over", "own", "please",
        "same", "shall", "she", "should", "so", "some", "such", "tell", "than", "that", "the", "their", "theirs",
        "them", "themselves", "then", "there", "these", "they", "this", "those", "through", "to", "too", "under",
        "until", "up", "us", "very", "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom",
        "why", "will", "with", "would", "you", "your", "yours", "yourself", "yourselves", "know", "want", "need",
        // Words that shape a question rather than name its subject.
        "long", "much", "many", "often", "happen", "happens", "mean", "means", "take", "takes", "also", "yes", "way",
        "s", "t", "don", "doesn", "didn", "isn", "aren", "wasn", "weren", "won", "ll", "ve", "re", "d", "m",
    };

    public static bool Contains(string word) => English.Contains(word);
}
