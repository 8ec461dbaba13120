namespace AgentRegistry.Knowledge;

/// <summary>Stable reason codes; the API turns them into problem-details types (422, or 413 for <see cref="TooLarge"/>).</summary>
public enum DocumentRejectionReason
{
    UnsupportedFormat,
    FormatMismatch,
    BinaryContent,
    Empty,
    TooLarge,
    Corrupt,
    Encrypted,
    ArchiveBomb,
}
