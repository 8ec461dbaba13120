using AgentRegistry.Access;
using AgentRegistry.Infrastructure;
using AgentRegistry.Knowledge;
using Microsoft.AspNetCore.Mvc;

namespace AgentRegistry.Admin.Documents;

public sealed record DocumentRow(TrainingDocument Document, string Tenant, string Access);

/// <summary>Every tenant's training documents, failures first to find: status, reason, size.</summary>
public sealed class IndexModel(RegistryDb db) : AdminListPage<DocumentRow>
{
    [BindProperty(SupportsGet = true)] public DocumentStatus? Status { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? Tenant { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? Access { get; set; }

    public override string Title => "Training documents";

    protected override IQueryable<DocumentRow> Query(string? term) => db.TrainingDocuments
        .Join(db.Accesses, d => d.AccessId, a => a.Id, (d, a) => new { d, Access = a.Name, Tenant = a.Tenant!.Name })
        .Where(x => term == null || x.d.Title.ToLower().Contains(term) || x.d.FileName.ToLower().Contains(term)
            || (x.d.FailureReason != null && x.d.FailureReason.ToLower().Contains(term)))
        .Where(x => Status == null || x.d.Status == Status)
        .Where(x => Tenant == null || x.d.TenantId == Tenant)
        .Where(x => Access == null || x.d.AccessId == Access)
        .OrderByDescending(x => x.d.CreatedAt).ThenBy(x => x.d.Id)
        .Select(x => new DocumentRow(x.d, x.Tenant, x.Access));

    protected override IEnumerable<Column<DocumentRow>> Columns() =>
    [
        new("Title", r => r.Document.Title, r => AdminLinks.Document(r.Document.Id)),
        new("Tenant", r => r.Tenant, r => AdminLinks.Tenant(r.Document.TenantId)),
        new("Access", r => r.Access, r => AdminLinks.Access(r.Document.AccessId)),
        new("Status", r => r.Document.Status),
        new("Reason", r => r.Document.FailureReason),
        new("Passages", r => r.Document.ChunkCount),
        new("Size (bytes)", r => r.Document.SizeBytes),
        new("Uploaded", r => r.Document.CreatedAt),
    ];

    protected override async Task<IReadOnlyList<Filter>> FiltersAsync(CancellationToken ct) =>
    [
        new("status", "Status", AdminFormat.Options<DocumentStatus>(), Status?.ToString()),
        new("tenant", "Tenant", await AdminChoices.TenantsAsync(db, ct), Tenant?.ToString()),
    ];
}
