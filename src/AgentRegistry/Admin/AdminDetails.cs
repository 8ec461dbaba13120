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

public static class EntityFields
{
    /// <summary>Every readable scalar property of a row, in declaration order; ids of known entities become links.</summary>
    public static List<Field> Of(object row, params string[] blocks) => row.GetType().GetProperties()
        .Where(p => p.GetIndexParameters().Length == 0 && IsScalar(p.PropertyType))
        .Select(p =>
        {
            var value = p.GetValue(row);
            var href = (p.Name, value) switch
            {
                ("TenantId", Guid g) => AdminLinks.Tenant(g),
                ("AccessId", Guid g) => AdminLinks.Access(g),
                ("AgentId", Guid g) => AdminLinks.Agent(g),
                ("ApiKeyId", Guid g) => AdminLinks.ApiKey(g),
                ("WidgetId", Guid g) => AdminLinks.Widget(g),
                ("DocumentId", Guid g) => AdminLinks.Document(g),
                ("ConversationId", Guid g) => AdminLinks.Conversation(g),
                _ => null,
            };
            return new Field(Label(p.Name), value, href, blocks.Contains(p.Name));
        }).ToList();

    private static bool IsScalar(Type t)
    {
        t = Nullable.GetUnderlyingType(t) ?? t;
        return t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(decimal) || t == typeof(Guid)
            || t == typeof(DateTime) || t == typeof(DateOnly);
    }

    /// <summary>"IdempotencyKey" → "Idempotency key".</summary>
    private static string Label(string name) =>
        string.Concat(name.Select((c, i) => i > 0 && char.IsUpper(c) ? " " + char.ToLowerInvariant(c) : c.ToString()));
}
