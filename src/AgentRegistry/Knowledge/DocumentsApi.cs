using System.ComponentModel.DataAnnotations;
using AgentRegistry.Identity;
using AgentRegistry.Infrastructure;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace AgentRegistry.Knowledge;

public sealed record DocumentView(Guid Id, Guid AccessId, string Title, string FileName, string? ContentType, long SizeBytes,
    string Sha256, DocumentStatus Status, string? FailureCode, string? FailureReason, int Attempts, int ChunkCount,
    DateTime CreatedAt, DateTime UpdatedAt, DateTime? ProcessedAt);

public sealed record RetrievalTestInput([property: Required, StringLength(2000, MinimumLength = 1)] string? Query,
    [property: Range(1, 50)] int? TopK);

public sealed record RetrievalTestResult(string Query, IReadOnlyList<FoundPassage> Passages);

internal static class DocumentsApi
{
    public static IEndpointRouteBuilder MapDocuments(this IEndpointRouteBuilder routes)
    {
        var accesses = routes.MapGroup("/api/v1/accesses/{id:guid}").WithTags("Training documents").RequireAuthorization(Policies.Person);
        accesses.MapPost("/documents", Upload).DisableAntiforgery();
        accesses.MapGet("/documents", List);
        accesses.MapGet("/documents/{docId:guid}", Get);
        accesses.MapDelete("/documents/{docId:guid}", Delete);
        accesses.MapPost("/documents/{docId:guid}/reindex", Reindex);
        accesses.MapPost("/retrieval-test", RetrievalTest);
        return routes;
    }

    private static IQueryable<DocumentView> Project(this IQueryable<TrainingDocument> q) => q.AsNoTracking().Select(d => new DocumentView(
        d.Id, d.AccessId, d.Title, d.FileName, d.ContentType, d.SizeBytes, d.Sha256, d.Status, d.FailureCode, d.FailureReason,
        d.Attempts, d.ChunkCount, d.CreatedAt, d.UpdatedAt, d.ProcessedAt));

    /// <summary>The access, if the caller's tenant owns it (the data layer hides the others).</summary>
    private static async Task<Access.AgentAccess> AccessAsync(RegistryDb db, Guid id, CancellationToken ct) =>
        await db.Accesses.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, ct) ?? throw new NotFoundException("The access");

    private static async Task<Results<Created<DocumentView>, Ok<DocumentView>>> Upload(Guid id, HttpRequest request, RegistryDb db,
        DocumentTextReader reader, DocumentQueue queue, IOptions<KnowledgeOptions> options, CancellationToken ct)
    {
        var access = await AccessAsync(db, id, ct);
        var max = options.Value.MaxUploadBytes;
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = max + 64 * 1024;
        var (upload, fileName, contentType, title) = await ReadFileAsync(request, max, ct);
        await using var _ = upload;

        try
        {
            var extracted = reader.Read(upload.Content, fileName, contentType, ct);
            if (extracted.CharacterCount == 0) throw new DocumentRejectedException(DocumentRejectionReason.Empty, "The document has no text.");
        }
        catch (DocumentRejectedException e) { throw Rejected(e); }

        if (await db.TrainingDocuments.Where(d => d.AccessId == id && d.Sha256 == upload.Sha256).Project().FirstOrDefaultAsync(ct) is { } existing)
            return TypedResults.Ok(existing);

        var bytes = new byte[upload.Length];
        upload.Content.Position = 0;
        await upload.Content.ReadExactlyAsync(bytes, ct);
        var document = new TrainingDocument
        {
            TenantId = access.TenantId, AccessId = id, FileName = fileName, ContentType = contentType, SizeBytes = upload.Length,
            Sha256 = upload.Sha256, Title = title ?? Path.GetFileNameWithoutExtension(fileName),
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
            return TypedResults.Ok(await db.TrainingDocuments.Where(d => d.AccessId == id && d.Sha256 == upload.Sha256).Project().FirstOrDefaultAsync(ct)
                ?? throw new ConflictException("conflict", "The document could not be stored; try again."));
        }
        var created = await db.TrainingDocuments.Where(d => d.Id == document.Id).Project().FirstAsync(ct);
        queue.Notify();
        return TypedResults.Created($"/api/v1/accesses/{id}/documents/{document.Id}", created);
    }

    /// <summary>Streams the multipart body to the <c>file</c> part and buffers it, stopping at the size limit.</summary>
    private static async Task<(BufferedUpload Upload, string FileName, string? ContentType, string? Title)> ReadFileAsync(
        HttpRequest request, long max, CancellationToken ct)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(type.Boundary).Value is not { Length: > 0 } boundary)
            throw new ProblemException(415, "unsupported-media-type", "Send the document as multipart/form-data with a field named file.");
        var multipart = new MultipartReader(boundary, request.Body) { BodyLengthLimit = null };
        string? title = null;
        try
        {
            while (await multipart.ReadNextSectionAsync(ct) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)) continue;
                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value;
                if (name == "title" && !disposition.IsFileDisposition())
                {
                    title = (await new StreamReader(section.Body).ReadToEndAsync(ct)).Trim() is { Length: > 0 and <= 300 } t ? t : null;
                    continue;
                }
                if (name != "file") continue;
                var fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value;
                fileName = Path.GetFileName(string.IsNullOrWhiteSpace(fileName) ? "document" : fileName);
                if (fileName.Length > 300) fileName = fileName[^300..];
                var upload = await UploadBuffer.BufferAsync(section.Body, max, ct);
                return (upload, fileName, section.ContentType, title);
            }
        }
        catch (DocumentRejectedException e) { throw Rejected(e); }
        catch (BadHttpRequestException e) when (e.StatusCode == 413) { throw Rejected(new DocumentRejectedException(DocumentRejectionReason.TooLarge, $"The upload is larger than the limit of {max} bytes.")); }
        catch (InvalidDataException e) { throw new ProblemException(400, "malformed-multipart", e.Message); }
        // The multipart reader's own end-of-body error: the body stopped before the closing boundary.
        catch (IOException e) when (e.Source == "Microsoft.AspNetCore.WebUtilities" && !request.HttpContext.RequestAborted.IsCancellationRequested)
        {
            throw new ProblemException(400, "malformed-multipart", "The multipart body ended before its closing boundary.");
        }
        throw new FieldException("file", "The multipart body has no field named file.");
    }

    /// <summary>413 for size, else 422, with the rejection code as the problem type (e.g. /problems/document-format-mismatch).</summary>
    private static ProblemException Rejected(DocumentRejectedException e) => new(
        e.Reason == DocumentRejectionReason.TooLarge ? 413 : 422,
        e.Code.Contains("document", StringComparison.Ordinal) ? e.Code : $"document-{e.Code}", e.Message);

    private static async Task<Paged<DocumentView>> List(Guid id, RegistryDb db, [AsParameters] PageRequest page, CancellationToken ct)
    {
        await AccessAsync(db, id, ct);
        return await db.TrainingDocuments.Where(d => d.AccessId == id).OrderByDescending(d => d.CreatedAt).Project().ToPageAsync(page, d => d, ct);
    }

    private static async Task<Results<Ok<DocumentView>, NotFound>> Get(Guid id, Guid docId, RegistryDb db, CancellationToken ct) =>
        await db.TrainingDocuments.Where(d => d.Id == docId && d.AccessId == id).Project().FirstOrDefaultAsync(ct) is { } d
            ? TypedResults.Ok(d) : TypedResults.NotFound();

    private static async Task<Results<NoContent, NotFound>> Delete(Guid id, Guid docId, RegistryDb db, VectorCache vectors, CancellationToken ct)
    {
        if (await db.TrainingDocuments.FirstOrDefaultAsync(d => d.Id == docId && d.AccessId == id, ct) is not { } document)
            return TypedResults.NotFound();
        // Chunks first, so the keyword index's delete triggers run; the content row goes with the document (cascade).
        await db.DocumentChunks.Where(c => c.DocumentId == docId).ExecuteDeleteAsync(ct);
        db.TrainingDocuments.Remove(document);
        await db.SaveChangesAsync(ct);
        vectors.Forget(id);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Accepted<DocumentView>, NotFound>> Reindex(Guid id, Guid docId, RegistryDb db, DocumentQueue queue,
        CancellationToken ct)
    {
        var changed = await db.TrainingDocuments.Where(d => d.Id == docId && d.AccessId == id).ExecuteUpdateAsync(s => s
            .SetProperty(d => d.Status, DocumentStatus.Queued).SetProperty(d => d.Attempts, 0).SetProperty(d => d.FailureCode, (string?)null)
            .SetProperty(d => d.FailureReason, (string?)null).SetProperty(d => d.NotBefore, (DateTime?)null)
            .SetProperty(d => d.LockedUntil, (DateTime?)null).SetProperty(d => d.UpdatedAt, DateTime.UtcNow), ct);
        if (changed == 0) return TypedResults.NotFound();
        var view = await db.TrainingDocuments.Where(d => d.Id == docId).Project().FirstAsync(ct);
        queue.Notify();
        return TypedResults.Accepted($"/api/v1/accesses/{id}/documents/{docId}", view);
    }

    private static async Task<Ok<RetrievalTestResult>> RetrievalTest(Guid id, RetrievalTestInput input, RegistryDb db, KnowledgeSearch search,
        IOptions<KnowledgeOptions> options, CancellationToken ct)
    {
        var access = await AccessAsync(db, id, ct);
        var passages = await search.SearchAsync(access.TenantId, id, input.Query!, input.TopK ?? options.Value.TopK, ct);
        return TypedResults.Ok(new RetrievalTestResult(input.Query!, passages));
    }
}
