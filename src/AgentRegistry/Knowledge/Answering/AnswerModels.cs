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
public sealed record RetrievedPassage(string Text, double Score, string SourceTitle, string? SourceId = null, string Section = "");

public sealed record AnswerCitation(int Number, string SourceTitle, string? SourceId);

public sealed record ComposedAnswer(string Text, IReadOnlyList<AnswerCitation> Citations, bool IsFallback);
