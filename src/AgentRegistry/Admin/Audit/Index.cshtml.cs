using AgentRegistry.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Admin.Audit;

public sealed class IndexModel(RegistryDb db) : AdminListPage<AuditLog>
{
    [BindProperty(SupportsGet = true)] public string? Entity { get; set; }
    [BindProperty(SupportsGet = true)] public string? Action { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? Id { get; set; }

    public override string Title => "Audit log";

    protected override IQueryable<AuditLog> Query(string? term) => db.AuditLogs
        .Where(a => term == null || a.Actor.ToLower().Contains(term) || a.Changes.ToLower().Contains(term))
        .Where(a => Entity == null || a.EntityType == Entity)
        .Where(a => Action == null || a.Action == Action)
        .Where(a => Id == null || a.EntityId == Id)
        .OrderByDescending(a => a.At).ThenByDescending(a => a.Id);

    protected override IEnumerable<Column<AuditLog>> Columns() =>
    [
        new("When", a => a.At, a => $"/admin/audit/details/{a.Id}"),
        new("Actor", a => a.Actor),
        new("Action", a => a.Action),
        new("Entity", a => a.EntityType),
        new("Entity id", a => a.EntityId, a => AdminLinks.Entity(a.EntityType, a.EntityId)),
        new("Changes", a => a.Changes.Length > 120 ? a.Changes[..120] + "…" : a.Changes),
    ];

    protected override async Task<IReadOnlyList<Filter>> FiltersAsync(CancellationToken ct) =>
    [
        new("entity", "Entity type", (await db.AuditLogs.Select(a => a.EntityType).Distinct().OrderBy(t => t).ToListAsync(ct))
            .Select(t => new FilterOption(t, t)).ToList(), Entity),
        new("action", "Action", new[] { "created", "updated", "deleted" }.Select(a => new FilterOption(a, a)).ToList(), Action),
    ];
}
