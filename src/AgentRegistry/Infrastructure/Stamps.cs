using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Infrastructure;

/// <summary>
/// A <see cref="DateTime"/> the data layer sets to the registry's clock when the row is added with the value unset
/// (a creation stamp such as <c>CreatedAt</c>, or the first value of <c>UpdatedAt</c>). One rule instead of
/// <c>= DateTime.UtcNow</c> initialisers, so every stamp follows the registry's <see cref="TimeProvider"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class StampedAttribute : Attribute;

/// <summary>Sets the <see cref="StampedAttribute"/> properties of added rows; run by <see cref="RegistryDb"/> before each save.</summary>
internal static class Stamps
{
    private static readonly ConcurrentDictionary<PropertyInfo, bool> Marked = new();

    public static void Apply(DbContext db, DateTime now)
    {
        foreach (var entry in db.ChangeTracker.Entries())
        {
            if (entry.State != EntityState.Added) continue;
            foreach (var p in entry.Properties)
                if (p.Metadata.ClrType == typeof(DateTime) && IsStamped(p.Metadata.PropertyInfo) && (DateTime)p.CurrentValue! == default)
                    p.CurrentValue = now;
        }
    }

    private static bool IsStamped(PropertyInfo? property) =>
        property is not null && Marked.GetOrAdd(property, p => p.IsDefined(typeof(StampedAttribute), inherit: true));
}
