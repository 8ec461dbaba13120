using System.Linq.Expressions;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace AgentRegistry.Infrastructure;

/// <summary>
/// The registry's one database context. Each provider has a subclass so that each keeps its own
/// migrations (see docs/decisions/0001-one-context-two-providers.md).
/// </summary>
public abstract class RegistryDb(DbContextOptions options) : DbContext(options), IDataProtectionKeyContext
{
    /// <summary>Whom the data layer serves; set for every use (a pooled context gets its scope's caller when rented).</summary>
    public Caller Caller { get; set; } = null!;

    /// <summary>
    /// The registry's clock: stamps of added rows (<see cref="StampedAttribute"/>) and audit entries read it. Set with
    /// the caller for every use (a pooled context gets the registry's clock when rented); the system clock otherwise.
    /// </summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    public DbSet<AuditLog> AuditLogs => Set<AuditLog>();
    public DbSet<JobLease> JobLeases => Set<JobLease>();
    /// <summary>Shared cookie and antiforgery keys, so any replica can read what another issued.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    // Read by the query filters; EF parameterises members of the context per query.
    private Guid? CurrentTenantId => Caller.TenantId;
    private bool SeesAllTenants => Caller.AllTenants;

    protected override void ConfigureConventions(ModelConfigurationBuilder conventions)
    {
        conventions.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        conventions.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
    }

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.ApplyConfigurationsFromAssembly(typeof(RegistryDb).Assembly,
            t => t.Namespace?.StartsWith("AgentRegistry", StringComparison.Ordinal) == true);

        foreach (var type in model.Model.GetEntityTypes())
        {
            if (type.BaseType is not null || type.IsOwned()) continue;
            if (typeof(ITenantOwned).IsAssignableFrom(type.ClrType))
                model.Entity(type.ClrType).HasQueryFilter(TenantFilter(type.ClrType, nameof(ITenantOwned.TenantId)));
            else if (typeof(ITenant).IsAssignableFrom(type.ClrType))
                model.Entity(type.ClrType).HasQueryFilter(TenantFilter(type.ClrType, nameof(ITenant.Id)));
        }
    }

    private LambdaExpression TenantFilter(Type entity, string tenantIdProperty)
    {
        // e => SeesAllTenants || e.TenantId == CurrentTenantId (a tenant itself: e.Id)
        var e = Expression.Parameter(entity, "e");
        var self = Expression.Constant(this, typeof(RegistryDb));
        var all = Expression.Property(self, nameof(SeesAllTenants));
        var current = Expression.Property(self, nameof(CurrentTenantId));
        var tenant = Expression.Convert(Expression.Property(e, tenantIdProperty), typeof(Guid?));
        return Expression.Lambda(Expression.OrElse(all, Expression.Equal(tenant, current)), e);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        BeforeSave();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        BeforeSave();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    // Stamps first, so the audit entries of added rows carry them.
    private void BeforeSave()
    {
        var now = Clock.GetUtcNow().UtcDateTime;
        ChangeTracker.DetectChanges();
        Stamps.Apply(this, now);
        AuditTrail.Record(this, now);
    }

    /// <summary>Every DateTime is UTC in and out, whatever the provider stores.</summary>
    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}
