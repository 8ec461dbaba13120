using AgentRegistry.Access;
using AgentRegistry.Catalog;
using AgentRegistry.Infrastructure;
using AgentRegistry.Metering;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Portal;

/// <summary>An access on the tenant's home page: its agent, plan, state and this month's use against the plan.</summary>
public sealed record AccessCard(Guid Id, string Name, string Agent, string Plan, AccessState State, IReadOnlyList<Meter> Meters);

/// <summary>/portal: the tenant's accesses with this month's usage and quota alerts; for an operator without a tenant, the choice of one.</summary>
public sealed class IndexModel(RegistryDb db, UsageReader usage, PortalContext portal) : PortalPage
{
    public List<AccessCard> Accesses { get; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        if (Tenant is null) return;
        var accesses = await db.Accesses.AsNoTracking().Where(a => a.TenantId == Tenant.Id).OrderBy(a => a.Name)
            .Select(a => new { a.Id, a.Name, a.State, Agent = a.Agent!.Name, Plan = a.Plan!.Name, a.Plan.Components }).ToListAsync(ct);
        foreach (var a in accesses)
        {
            var report = await usage.ForAccessAsync(a.Id, null, null, null, ct);
            Accesses.Add(new AccessCard(a.Id, a.Name, a.Agent, a.Plan, a.State, report is null ? [] : Meter.Of(a.Components, report)));
        }
    }

    /// <summary>The tenant switcher: another of the person's tenants (any tenant for an operator).</summary>
    public async Task<IActionResult> OnPostSwitchAsync(Guid tenant, CancellationToken ct)
    {
        if (await portal.SwitchAsync(tenant, ct) is null) return NotFoundPage();
        Remember(tenant);
        return Redirect("/portal");
    }
}
