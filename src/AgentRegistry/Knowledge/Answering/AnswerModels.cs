namespace AgentRegistry.Knowledge;

public enum AnswerLength
{
    Short,
    Medium,
    Long,
}

/// <summary>The parts of an agent's persona that shape an offline answer.</summary>
public sealed record PersonaSettings(
    string DisplayName,
    string FallbackAnswer,
    AnswerLength AnswerLength = AnswerLength.Medium,
    bool CitationsEnabled = true);

/// <param name="Score">Retrieval score (fused or cosine); only its order and relative size matter.</param>
/// <param name="Section">The heading path of the passage ("Guide > Installation"), cited with the source; empty when none.</param>
/// <param name="Similarity">Cosine similarity of the passage's embedding to the question's; 0 when not known.</param>
/// <param name="PieceSimilarities">Cosine similarity to the question of each piece of <paramref name="Text"/> (sentence,
/// list item, table row, in the order the composer cuts them); null when not known: pieces are then chosen by words alone.</param>
public sealed record RetrievedPassage(string Text, double Score, string SourceTitle, string? SourceId = null, string Section = "", double Similarity = 0,
    IReadOnlyList<float>? PieceSimilarities = null);

/// <param name="Section">The heading the cited passage stands under; empty when the document has none.</param>
public sealed record AnswerCitation(int Number, string SourceTitle, string? SourceId, string Section = "");

public sealed record ComposedAnswer(string Text, IReadOnlyList<AnswerCitation> Citations, bool IsFallback);
