using AgentRegistry.Infrastructure;
using AgentRegistry.Knowledge;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Admin.Documents;

/// <summary>One training document, with a reindex for a failed one (the same service the customer's retry calls).</summary>
public sealed class DetailsModel(RegistryDb db, DocumentService documents) : PageModel
{
    public TrainingDocument Document { get; private set; } = null!;
    public List<Field> Fields { get; private set; } = [];
    public List<AuditLog> History { get; private set; } = [];
    [BindProperty(SupportsGet = true)] public bool Queued { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await db.TrainingDocuments.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, ct) is not { } d) return NotFound();
        Document = d;
        Fields = EntityFields.Of(d, nameof(TrainingDocument.FailureReason));
        History = await AuditHistory.ForAsync(db, nameof(TrainingDocument), id, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostReindexAsync(Guid id, CancellationToken ct)
    {
        var accessId = await db.TrainingDocuments.Where(d => d.Id == id).Select(d => (Guid?)d.AccessId).FirstOrDefaultAsync(ct);
        if (accessId is null || await documents.ReindexAsync(accessId.Value, id, ct) is null) return NotFound();
        return Redirect(AdminLinks.Document(id) + "?queued=true");
    }
}
