namespace AgentRegistry.Knowledge;

/// <summary>The formats a training document may have. Named "kind" so it does not clash with the DocumentFormat.OpenXml namespace.</summary>
public enum DocumentKind
{
    PlainText,
    Markdown,
    Html,
    Pdf,
    Docx,
    Csv,
}
