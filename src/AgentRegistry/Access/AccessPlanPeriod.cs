using AgentRegistry.Catalog;
using AgentRegistry.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AgentRegistry.Access;

/// <summary>
/// A span during which one plan (one version of it) was in force for an access: from provisioning or a plan switch
/// until the next switch or termination (<see cref="To"/> null while in force). The registry's copy of Waldur's
/// resource plan periods, so that a month is billed, reported and reconciled with the plan of that month, not today's.
/// </summary>
public sealed class AccessPlanPeriod : ITenantOwned
{
    public Guid Id { get; init; } = Ids.New();
    public Guid TenantId { get; set; }
    public Guid AccessId { get; set; }
    public Guid PlanId { get; set; }
    public AgentPlan? Plan { get; set; }
    public DateTime From { get; set; }
    public DateTime? To { get; set; }

    public bool Overlaps(DateTime from, DateTime to) => From < to && (To is null || To > from);
}

/// <summary>Writes the plan periods of an access: one opens at provisioning, a switch closes it and opens the next, termination closes the last.</summary>
public static class AccessPlanPeriods
{
    /// <summary>Closes the period in force (if any) at <paramref name="at"/> and opens one for <paramref name="planId"/>; the caller saves.</summary>
    public static async Task SwitchAsync(RegistryDb db, AgentAccess access, Guid planId, DateTime at, CancellationToken ct)
    {
        await CloseAsync(db, access.Id, at, ct);
        db.AccessPlanPeriods.Add(new AccessPlanPeriod { TenantId = access.TenantId, AccessId = access.Id, PlanId = planId, From = at });
    }

    /// <summary>Ends the period in force at <paramref name="at"/>; nothing when none is open. The caller saves.</summary>
    public static async Task CloseAsync(RegistryDb db, Guid accessId, DateTime at, CancellationToken ct)
    {
        var open = await db.AccessPlanPeriods.Where(p => p.AccessId == accessId && p.To == null).ToListAsync(ct);
        open.AddRange(db.AccessPlanPeriods.Local.Where(p => p.AccessId == accessId));
        // Tracked periods keep what was set on them before saving: one closed already in this unit of work stays closed.
        foreach (var period in open.Distinct().Where(p => p.To is null)) period.To = at < period.From ? period.From : at;
    }

    /// <summary>The periods of the accesses that overlap [from, to), oldest first.</summary>
    public static async Task<ILookup<Guid, AccessPlanPeriod>> OverlappingAsync(RegistryDb db, IReadOnlyCollection<Guid> accessIds, DateTime from, DateTime to, CancellationToken ct) =>
        (await db.AccessPlanPeriods.AsNoTracking().Include(p => p.Plan)
            .Where(p => accessIds.Contains(p.AccessId) && p.From < to && (p.To == null || p.To > from))
            .ToListAsync(ct)).OrderBy(p => p.From).ToLookup(p => p.AccessId);
}

internal sealed class AccessPlanPeriodEntityTypeConfiguration : IEntityTypeConfiguration<AccessPlanPeriod>
{
    public void Configure(EntityTypeBuilder<AccessPlanPeriod> b)
    {
        b.ToTable("AccessPlanPeriods");
        b.HasIndex(p => new { p.AccessId, p.From });
        b.HasOne<AgentAccess>().WithMany().HasForeignKey(p => p.AccessId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(p => p.Plan).WithMany().HasForeignKey(p => p.PlanId).OnDelete(DeleteBehavior.Restrict);
    }
}
