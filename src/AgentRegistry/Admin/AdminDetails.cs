using AgentRegistry.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Admin;

/// <summary>One labelled value of a detail page; <see cref="Block"/> shows long text preformatted.</summary>
public sealed record Field(string Label, object? Value, string? Href = null, bool Block = false)
{
    public string Text => AdminFormat.Text(Value);
}

public static class AuditHistory
{
    /// <summary>The audit rows of one entity, newest first.</summary>
    public static Task<List<AuditLog>> ForAsync(RegistryDb db, string entityType, Guid id, CancellationToken ct) =>
        db.AuditLogs.AsNoTracking().Where(a => a.EntityType == entityType && a.EntityId == id)
            .OrderByDescending(a => a.At).ThenByDescending(a => a.Id).Take(200).ToListAsync(ct);
}
