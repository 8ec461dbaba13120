using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Infrastructure;

/// <summary>Turns pending changes to audited rows into audit log entries in the same save.</summary>
internal static class AuditTrail
{
    public static void Record(RegistryDb db, DateTime now)
    {
        var entries = db.ChangeTracker.Entries<IAudited>()
            .Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
            .ToList();
        foreach (var entry in entries)
        {
            var changes = new Dictionary<string, object?>();
            foreach (var p in entry.Properties)
            {
                if (IsSecret(p.Metadata.PropertyInfo)) continue;
                if (entry.State == EntityState.Modified && !p.IsModified) continue;
                changes[p.Metadata.Name] = entry.State == EntityState.Deleted ? p.OriginalValue : p.CurrentValue;
            }
            foreach (var nav in entry.Navigations.OfType<Microsoft.EntityFrameworkCore.ChangeTracking.ReferenceEntry>()
                         .Where(n => n.Metadata.TargetEntityType.IsOwned() && (entry.State != EntityState.Modified || n.IsModified)))
                changes[nav.Metadata.Name] = nav.CurrentValue;
            foreach (var nav in entry.Collections.Where(n => n.Metadata.TargetEntityType.IsOwned()))
                changes[nav.Metadata.Name] = nav.CurrentValue;
            if (entry.State == EntityState.Modified && changes.Count == 0) continue;

            db.AuditLogs.Add(new AuditLog
            {
                TenantId = entry.Entity switch
                {
                    ITenantOwned owned => owned.TenantId,
                    ITenant t => t.Id,
                    _ => null,
                },
                Actor = db.Caller.Actor,
                Action = entry.State switch { EntityState.Added => "created", EntityState.Deleted => "deleted", _ => "updated" },
                EntityType = entry.Metadata.ClrType.Name,
                EntityId = entry.Entity.Id,
                Changes = JsonSerializer.Serialize(changes, AuditJson),
                At = now,
            });
        }
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<System.Reflection.PropertyInfo, bool> Secrets = new();

    /// <summary>Marked <see cref="SecretAttribute"/>: left out of every entry.</summary>
    internal static bool IsSecret(System.Reflection.PropertyInfo? property) =>
        property is not null && Secrets.GetOrAdd(property, p => p.IsDefined(typeof(SecretAttribute), inherit: true));

    private static readonly JsonSerializerOptions AuditJson = new() { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };
}
