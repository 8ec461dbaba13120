using AgentRegistry.Infrastructure;
using AgentRegistry.Knowledge;
using Microsoft.AspNetCore.Mvc;

namespace AgentRegistry.Portal.Accesses;

/// <summary>
/// Training documents: upload (several files; the page's script sends them one by one with a progress bar each),
/// status that updates without reloading, failure reasons in words, reindex and delete, and a retrieval test.
/// </summary>
public sealed class DocumentsModel(DocumentService documents) : PortalPage
{
    /// <summary>Formats the extractors read.</summary>
    public const string Accepted = ".pdf,.docx,.txt,.md,.markdown,.html,.htm,.csv";

    // Read from the query string by hand, not bound: binding reads a posted form, and the script's upload streams the body.
    public string? Query => Request.Query["test"].FirstOrDefault();
    private int PageNumber => int.TryParse(Request.Query["p"], out var p) ? p : 1;
    public Paged<DocumentView> List { get; private set; } = new([], 1, 50, 0);
    public RetrievalTestResult? Test { get; private set; }
    public string? TestError { get; private set; }
    public List<string> UploadErrors { get; } = [];
    public List<DocumentView> Uploaded { get; } = [];
    public long MaxBytes => documents.MaxUploadBytes;

    public async Task OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        if (string.IsNullOrWhiteSpace(Query)) return;
        var input = new RetrievalTestInput(Query, null);
        if (Validate(input, prefix: "test"))
            Test = await documents.TestRetrievalAsync(Access.Id, Query.Trim(), null, ct);
        else
            TestError = string.Join(" ", ModelState.Values.SelectMany(v => v.Errors).Select(e => e.ErrorMessage));
    }

    /// <summary>
    /// From the page's script (JSON wanted): one file, streamed to the documents as it arrives; the document or the
    /// refusal as problem details, exactly as the API answers. From a plain form: every chosen file, then the page with
    /// what was stored and what was refused, and why.
    /// </summary>
    public async Task<IActionResult> OnPostUploadAsync()
    {
        // No parameters: binding any (even a CancellationToken) makes MVC read the form, and the script's upload streams the body.
        var ct = HttpContext.RequestAborted;
        if (WantsJson)
        {
            var stored = await MultipartUpload.StoreAsync(Request, Access.Id, documents, ct);
            if (stored is null) return NotFoundPage();
            Response.StatusCode = stored.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK;
            return Json(stored.Document);
        }
        var files = Request.HasFormContentType ? Request.Form.Files : null;
        if (files is null || files.Count == 0) UploadErrors.Add("Choose at least one file.");
        foreach (var file in files ?? (IEnumerable<IFormFile>)[])
        {
            try
            {
                await using var content = file.OpenReadStream();
                if (await documents.AddAsync(Access.Id, content, file.FileName, file.ContentType, null, ct) is { } stored) Uploaded.Add(stored.Document);
            }
            catch (RegistryException e)
            {
                UploadErrors.Add($"{Path.GetFileName(file.FileName)}: {e.Message}");
            }
        }
        if (UploadErrors.Count > 0) Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostReindexAsync(Guid documentId, CancellationToken ct) =>
        await documents.ReindexAsync(Access.Id, documentId, ct) is null ? NotFoundPage() : Redirect(Request.Path);

    public async Task<IActionResult> OnPostDeleteAsync(Guid documentId, CancellationToken ct) =>
        await documents.DeleteAsync(Access.Id, documentId, ct) ? Redirect(Request.Path) : NotFoundPage();

    private async Task LoadAsync(CancellationToken ct) =>
        List = await documents.ListAsync(Access.Id, new PageRequest(Math.Max(1, PageNumber), 50), ct) ?? List;

    public static string StatusText(DocumentView d) => d.Status switch
    {
        DocumentStatus.Queued => d.Attempts > 0 ? "waiting to retry" : "queued",
        DocumentStatus.Processing => "processing",
        DocumentStatus.Ready => "ready",
        _ => "failed",
    };
}
