using AgentRegistry.Infrastructure;

namespace AgentRegistry.Knowledge;

public enum DocumentStatus { Queued, Processing, Ready, Failed }

/// <summary>A file a customer uploaded to train one access; processed into chunks in the background.</summary>
public sealed class TrainingDocument : ITenantOwned, IAudited
{
    public Guid Id { get; init; } = Ids.New();
    public Guid TenantId { get; set; }
    public Guid AccessId { get; set; }
    public required string Title { get; set; }
    public required string FileName { get; set; }
    public string? ContentType { get; set; }
    public long SizeBytes { get; set; }
    /// <summary>Lower-case hex SHA-256 of the bytes; unique per access, so the same file is stored once.</summary>
    public required string Sha256 { get; set; }
    public DocumentStatus Status { get; set; } = DocumentStatus.Queued;
    /// <summary>A stable code (e.g. "corrupt-document") and a sentence for the customer.</summary>
    public string? FailureCode { get; set; }
    public string? FailureReason { get; set; }
    public int Attempts { get; set; }
    public int ChunkCount { get; set; }
    /// <summary>While processing: the time after which another worker may reclaim it (the first one crashed).</summary>
    public DateTime? LockedUntil { get; set; }
    /// <summary>While queued after a transient failure: not before this time.</summary>
    public DateTime? NotBefore { get; set; }
    [Stamped] public DateTime CreatedAt { get; init; }
    [Stamped] public DateTime UpdatedAt { get; set; }
    public DateTime? ProcessedAt { get; set; }
}

/// <summary>
/// The uploaded bytes, kept until (and after) processing so a reindex needs no new upload.
/// Stored in the database rather than under a directory: every replica sees them without a shared volume, they are
/// written in the same transaction as the document row, and deleting the document deletes them (cascade).
/// A separate table keeps document listings from reading blobs.
/// </summary>
public sealed class DocumentContent : ITenantOwned
{
    public Guid DocumentId { get; init; }
    public Guid TenantId { get; set; }
    public required byte[] Bytes { get; set; }
}

/// <summary>One searchable piece of a document, with its MiniLM embedding (384 little-endian floats).</summary>
public sealed class DocumentChunk : ITenantOwned
{
    public long Id { get; init; }
    public Guid TenantId { get; set; }
    public Guid DocumentId { get; set; }
    public Guid AccessId { get; set; }
    public int Ordinal { get; set; }
    public string HeadingPath { get; set; } = "";
    /// <summary>Heading prefix and body: what is embedded and keyword-indexed.</summary>
    public required string Text { get; set; }
    /// <summary>The document text alone, for answers and citations.</summary>
    public required string Body { get; set; }
    public int TokenCount { get; set; }
    public required byte[] Embedding { get; set; }
    /// <summary>
    /// The MiniLM embeddings of the body's answer pieces (<see cref="AnswerText.Pieces"/>, in order, at most
    /// <see cref="AnswerText.MaxEmbeddedPieces"/>), 384 floats each back to back: what ranking and the offline answer
    /// compare a question's meaning with. Null for chunks indexed before pieces were embedded.
    /// </summary>
    public byte[]? PieceEmbeddings { get; set; }
}
