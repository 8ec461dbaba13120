using AgentRegistry.Access;
using System.ComponentModel.DataAnnotations;
using AgentRegistry.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

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

    private static async Task<Results<Created<DocumentView>, Ok<DocumentView>>> Upload(Guid id, HttpRequest request, RegistryDb db,
        DocumentService documents, CancellationToken ct)
    {
        // Unknown or foreign access: 404 before a byte of the body is read.
        if (!await db.Accesses.AnyAsync(a => a.Id == id, ct)) throw new NotFoundException("The access");
        var stored = await MultipartUpload.StoreAsync(request, id, documents, ct) ?? throw new NotFoundException("The access");
        return stored.Created
            ? TypedResults.Created($"/api/v1/accesses/{id}/documents/{stored.Document.Id}", stored.Document)
            : TypedResults.Ok(stored.Document);
    }

    private static async Task<Paged<DocumentView>> List(Guid id, DocumentService documents, [AsParameters] PageRequest page, CancellationToken ct) =>
        await documents.ListAsync(id, page, ct) ?? throw new NotFoundException("The access");

    private static async Task<Results<Ok<DocumentView>, NotFound>> Get(Guid id, Guid docId, DocumentService documents, CancellationToken ct) =>
        await documents.GetAsync(id, docId, ct) is { } d ? TypedResults.Ok(d) : TypedResults.NotFound();

    private static async Task<Results<NoContent, NotFound>> Delete(Guid id, Guid docId, DocumentService documents, CancellationToken ct) =>
        await documents.DeleteAsync(id, docId, ct) ? TypedResults.NoContent() : TypedResults.NotFound();

    private static async Task<Results<Accepted<DocumentView>, NotFound>> Reindex(Guid id, Guid docId, DocumentService documents, CancellationToken ct) =>
        await documents.ReindexAsync(id, docId, ct) is { } view ? TypedResults.Accepted($"/api/v1/accesses/{id}/documents/{docId}", view) : TypedResults.NotFound();

    private static async Task<Ok<RetrievalTestResult>> RetrievalTest(Guid id, RetrievalTestInput input, DocumentService documents, CancellationToken ct) =>
        TypedResults.Ok(await documents.TestRetrievalAsync(id, input.Query!, input.TopK, ct) ?? throw new NotFoundException("The access"));
}
