namespace AgentRegistry.Knowledge;

public sealed class DocumentRejectedException(DocumentRejectionReason reason, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public DocumentRejectionReason Reason { get; } = reason;

    /// <summary>Kebab-case code for problem details, e.g. "format-mismatch".</summary>
    public string Code => Reason switch
    {
        DocumentRejectionReason.UnsupportedFormat => "unsupported-format",
        DocumentRejectionReason.FormatMismatch => "format-mismatch",
        DocumentRejectionReason.BinaryContent => "binary-content",
        DocumentRejectionReason.Empty => "empty-document",
        DocumentRejectionReason.TooLarge => "document-too-large",
        DocumentRejectionReason.Corrupt => "corrupt-document",
        DocumentRejectionReason.Encrypted => "encrypted-document",
        DocumentRejectionReason.ArchiveBomb => "archive-bomb",
        _ => "document-rejected",
    };
}
