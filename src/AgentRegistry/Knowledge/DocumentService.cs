using AgentRegistry.Access;
using AgentRegistry.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AgentRegistry.Knowledge;

/// <summary>A stored upload: the document, and whether this upload created it (the same bytes are stored once per access).</summary>
public sealed record StoredDocument(DocumentView Document, bool Created);

/// <summary>
/// The training documents of an access: add, list, delete, reindex and the retrieval test. The REST API, the portal
/// and the admin call it, so the upload rules (size limit while streaming, readable formats, one copy per file) and
/// their problem types live here once. Null answers mean the access or document is not the caller's to see.
/// </summary>
public sealed class DocumentService(RegistryDb db, DocumentTextReader reader, DocumentQueue queue, KnowledgeSearch search,
    TestQuestions testQuestions, IOptions<KnowledgeOptions> options, TimeProvider clock)
{
    public long MaxUploadBytes => options.Value.MaxUploadBytes;

    internal static IQueryable<DocumentView> Project(IQueryable<TrainingDocument> q) => q.AsNoTracking().Select(d => new DocumentView(
        d.Id, d.AccessId, d.Title, d.FileName, d.ContentType, d.SizeBytes, d.Sha256, d.Status, d.FailureCode, d.FailureReason,
        d.Attempts, d.ChunkCount, d.CreatedAt, d.UpdatedAt, d.ProcessedAt));

    /// <summary>
    /// Buffers the file, stopping at the size limit, checks that its text can be read, and stores it for processing.
    /// A refused file (413 for size, else 422 with the rejection as the problem type) stores nothing.
    /// </summary>
    public async Task<StoredDocument?> AddAsync(Guid accessId, Stream content, string fileName, string? contentType, string? title, CancellationToken ct)
    {
        if (await db.Accesses.AsNoTracking().FirstOrDefaultAsync(a => a.Id == accessId, ct) is not { } access) return null;
        fileName = Path.GetFileName(string.IsNullOrWhiteSpace(fileName) ? "document" : fileName);
        if (fileName.Length > 300) fileName = fileName[^300..];
        BufferedUpload upload;
        try { upload = await UploadBuffer.BufferAsync(content, MaxUploadBytes, ct); }
        catch (DocumentRejectedException e) { throw Rejected(e); }
        catch (BadHttpRequestException e) when (e.StatusCode == 413) { throw Rejected(TooLarge()); }
        await using var _ = upload;

        try
        {
            var extracted = reader.Read(upload.Content, fileName, contentType, ct);
            if (extracted.CharacterCount == 0) throw new DocumentRejectedException(DocumentRejectionReason.Empty, "The document has no text.");
        }
        catch (DocumentRejectedException e) { throw Rejected(e); }

        if (await Project(db.TrainingDocuments.Where(d => d.AccessId == accessId && d.Sha256 == upload.Sha256)).FirstOrDefaultAsync(ct) is { } existing)
            return new StoredDocument(existing, false);

        var bytes = new byte[upload.Length];
        upload.Content.Position = 0;
        await upload.Content.ReadExactlyAsync(bytes, ct);
        var document = new TrainingDocument
        {
            TenantId = access.TenantId, AccessId = accessId, FileName = fileName, ContentType = contentType, SizeBytes = upload.Length,
            Sha256 = upload.Sha256, Title = string.IsNullOrWhiteSpace(title) ? Path.GetFileNameWithoutExtension(fileName) : title.Trim(),
        };
        db.TrainingDocuments.Add(document);
        db.DocumentContents.Add(new DocumentContent { DocumentId = document.Id, TenantId = access.TenantId, Bytes = bytes });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Two uploads of the same file raced; the unique index let one win.
            db.ChangeTracker.Clear();
            return new StoredDocument(await Project(db.TrainingDocuments.Where(d => d.AccessId == accessId && d.Sha256 == upload.Sha256)).FirstOrDefaultAsync(ct)
                ?? throw new ConflictException("conflict", "The document could not be stored; try again."), false);
        }
        queue.Notify();
        return new StoredDocument(await Project(db.TrainingDocuments.Where(d => d.Id == document.Id)).FirstAsync(ct), true);
    }

    public DocumentRejectedException TooLarge() =>
        new(DocumentRejectionReason.TooLarge, $"The upload is larger than the limit of {MaxUploadBytes} bytes.");

    /// <summary>413 for size, else 422, with the rejection code as the problem type (e.g. /problems/document-format-mismatch).</summary>
    public static ProblemException Rejected(DocumentRejectedException e) => new(
        e.Reason == DocumentRejectionReason.TooLarge ? 413 : 422,
        e.Code.Contains("document", StringComparison.Ordinal) ? e.Code : $"document-{e.Code}", e.Message);

    /// <summary>The access's documents, newest first.</summary>
    public async Task<Paged<DocumentView>?> ListAsync(Guid accessId, PageRequest page, CancellationToken ct)
    {
        if (!await db.Accesses.AnyAsync(a => a.Id == accessId, ct)) return null;
        return await Project(db.TrainingDocuments.Where(d => d.AccessId == accessId).OrderByDescending(d => d.CreatedAt)).ToPageAsync(page, d => d, ct);
    }

    public Task<DocumentView?> GetAsync(Guid accessId, Guid documentId, CancellationToken ct) =>
        Project(db.TrainingDocuments.Where(d => d.Id == documentId && d.AccessId == accessId)).FirstOrDefaultAsync(ct);

    public async Task<bool> DeleteAsync(Guid accessId, Guid documentId, CancellationToken ct)
    {
        if (await db.TrainingDocuments.FirstOrDefaultAsync(d => d.Id == documentId && d.AccessId == accessId, ct) is not { } document) return false;
        // Chunks first, so the keyword index's delete triggers run; the content row goes with the document (cascade).
        await db.DocumentChunks.Where(c => c.DocumentId == documentId).ExecuteDeleteAsync(ct);
        db.TrainingDocuments.Remove(document);
        await db.SaveChangesAsync(ct);
        // A document change reruns the test questions (an upload or reindex does when its processing ends).
        await testQuestions.RunAsync(accessId, ct);
        return true;
    }

    /// <summary>Queues the document to be processed again from its stored bytes (after a failure, or to pick up a better pipeline).</summary>
    public async Task<DocumentView?> ReindexAsync(Guid accessId, Guid documentId, CancellationToken ct)
    {
        if (await Project(db.TrainingDocuments.Where(d => d.Id == documentId && d.AccessId == accessId)).FirstOrDefaultAsync(ct) is not { } before)
            return null;
        var now = clock.GetUtcNow().UtcDateTime;
        var changed = await db.TrainingDocuments.Where(d => d.Id == documentId && d.AccessId == accessId).ExecuteUpdateAsync(s => s
            .SetProperty(d => d.Status, DocumentStatus.Queued).SetProperty(d => d.Attempts, 0).SetProperty(d => d.FailureCode, (string?)null)
            .SetProperty(d => d.FailureReason, (string?)null).SetProperty(d => d.NotBefore, (DateTime?)null)
            .SetProperty(d => d.LockedUntil, (DateTime?)null).SetProperty(d => d.UpdatedAt, now), ct);
        if (changed == 0) return null;
        queue.Notify();
        // The answer is what this request committed: the pipeline may pick the document up at once, so it is not read again.
        return before with { Status = DocumentStatus.Queued, Attempts = 0, FailureCode = null, FailureReason = null, UpdatedAt = now };
    }

    /// <summary>The passages a question finds among the access's documents, as the agent would see them.</summary>
    public async Task<RetrievalTestResult?> TestRetrievalAsync(Guid accessId, string query, int? topK, CancellationToken ct)
    {
        if (await db.Accesses.AsNoTracking().FirstOrDefaultAsync(a => a.Id == accessId, ct) is not { } access) return null;
        var passages = await search.SearchAsync(access.TenantId, accessId, query, topK ?? options.Value.TopK, ct);
        return new RetrievalTestResult(query, passages);
    }
}
