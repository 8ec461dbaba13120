using System.Linq.Expressions;
using AgentRegistry.Access;
using AgentRegistry.Catalog;
using AgentRegistry.Chat;
using AgentRegistry.Identity;
using AgentRegistry.Knowledge;
using AgentRegistry.Metering;
using AgentRegistry.Tenancy;
using AgentRegistry.Waldur;
using AgentRegistry.Widget;
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

    public DbSet<AgentCategory> Categories => Set<AgentCategory>();
    public DbSet<Agent> Agents => Set<Agent>();
    public DbSet<AgentPlan> Plans => Set<AgentPlan>();
    public DbSet<Tenant> Tenants => Set<Tenant>();
    public DbSet<TenantProject> Projects => Set<TenantProject>();
    public DbSet<AgentAccess> Accesses => Set<AgentAccess>();
    public DbSet<AccessPlanPeriod> AccessPlanPeriods => Set<AccessPlanPeriod>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<CustomerConfiguration> CustomerConfigurations => Set<CustomerConfiguration>();
    public DbSet<ConfigurationVersion> ConfigurationVersions => Set<ConfigurationVersion>();
    public DbSet<UsageRecord> UsageRecords => Set<UsageRecord>();
    public DbSet<DailyUsageSummary> DailyUsageSummaries => Set<DailyUsageSummary>();
    public DbSet<TenantQuotaSnapshot> QuotaSnapshots => Set<TenantQuotaSnapshot>();
    public DbSet<QuotaAlert> QuotaAlerts => Set<QuotaAlert>();
    public DbSet<WebhookEvent> WebhookEvents => Set<WebhookEvent>();
    public DbSet<AuditLog> AuditLogs => Set<AuditLog>();
    public DbSet<JobLease> JobLeases => Set<JobLease>();
    public DbSet<Waldur.Reporting.WaldurUsageReport> UsageReports => Set<Waldur.Reporting.WaldurUsageReport>();
    public DbSet<LocalAccount> LocalAccounts => Set<LocalAccount>();
    public DbSet<Membership> Memberships => Set<Membership>();
    public DbSet<Identity.Tokens.PersonalAccessToken> PersonalAccessTokens => Set<Identity.Tokens.PersonalAccessToken>();
    public DbSet<TrainingDocument> TrainingDocuments => Set<TrainingDocument>();
    public DbSet<DocumentContent> DocumentContents => Set<DocumentContent>();
    public DbSet<DocumentChunk> DocumentChunks => Set<DocumentChunk>();
    public DbSet<TestQuestion> TestQuestions => Set<TestQuestion>();
    public DbSet<Conversation> Conversations => Set<Conversation>();
    public DbSet<Message> Messages => Set<Message>();
    public DbSet<ChatWidget> Widgets => Set<ChatWidget>();
    /// <summary>Shared cookie and antiforgery keys, so any replica can read what another issued.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    // Read by the query filters; EF parameterises members of the context per query.
    private Guid? CurrentTenantId => Caller.TenantId;
    private bool SeesAllTenants => Caller.AllTenants;

    protected override void ConfigureConventions(ModelConfigurationBuilder conventions)
    {
        conventions.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        conventions.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
        conventions.Properties<AccessState>().HaveConversion<string>().HaveMaxLength(16);
        conventions.Properties<WebhookEventStatus>().HaveConversion<string>().HaveMaxLength(16);
    }

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.ApplyConfigurationsFromAssembly(typeof(RegistryDb).Assembly,
            t => t.Namespace?.StartsWith("AgentRegistry", StringComparison.Ordinal) == true);

        model.Entity<Tenant>().HasQueryFilter(t => SeesAllTenants || t.Id == CurrentTenantId);
        foreach (var type in model.Model.GetEntityTypes())
        {
            if (typeof(ITenantOwned).IsAssignableFrom(type.ClrType) && type.BaseType is null && !type.IsOwned())
                model.Entity(type.ClrType).HasQueryFilter(TenantFilter(type.ClrType));
        }
    }

    private LambdaExpression TenantFilter(Type entity)
    {
        // e => SeesAllTenants || e.TenantId == CurrentTenantId
        var e = Expression.Parameter(entity, "e");
        var self = Expression.Constant(this, typeof(RegistryDb));
        var all = Expression.Property(self, nameof(SeesAllTenants));
        var current = Expression.Property(self, nameof(CurrentTenantId));
        var tenant = Expression.Convert(Expression.Property(e, nameof(ITenantOwned.TenantId)), typeof(Guid?));
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
