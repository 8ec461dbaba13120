namespace AgentRegistry.Knowledge;

/// <summary>A run of text under one heading path (outermost heading first; empty before the first heading).</summary>
public sealed record DocumentSection(IReadOnlyList<string> HeadingPath, string Text);

public sealed record ExtractedDocument(DocumentKind Kind, IReadOnlyList<DocumentSection> Sections)
{
    public int CharacterCount => Sections.Sum(s => s.Text.Length);
}
