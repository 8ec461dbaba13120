using AgentRegistry.Tenancy;
using AgentRegistry.Access;
using AgentRegistry.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Portal;

/// <param name="IsBlocked">Blocked by the platform's operators or by Waldur: its chat, widgets and new keys are stopped.</param>
public sealed record PortalTenant(Guid Id, string Name, Guid? WaldurCustomerUuid, bool IsBlocked = false);

/// <summary>The access a portal page is about, as the members of its tenant see it.</summary>
public sealed record PortalAccess(Guid Id, string Name, AccessState State, PortalTenant Tenant, Guid AgentId, string AgentName, string AgentSlug,
    Guid? OfferingUuid, string PlanName, Guid? ResourceUuid, DateTime CreatedAt, AccessStanding? Standing = null);

/// <summary>
/// Which tenant's portal a request is in. A member works in one of their tenants at a time, an operator in any one
/// tenant's portal; either way the <see cref="Caller"/> is narrowed to that tenant, so the data layer's tenant filter
/// shows nothing of any other (an operator in a portal sees what the tenant's members see, no more).
/// </summary>
public sealed class PortalContext(RegistryDb db, Caller caller)
{
    /// <summary>How many tenants an operator's switcher lists; the admin's tenant list reaches the others.</summary>
    public const int OperatorChoices = 200;

    public bool IsOperator => caller.IsOperator;

    /// <summary>
    /// The tenants the person may switch to: a member's own tenants, or (for an operator) the first tenants by name.
    /// Call before a tenant is opened: opening narrows what the data layer shows.
    /// </summary>
    public async Task<IReadOnlyList<PortalTenant>> ChoicesAsync(CancellationToken ct)
    {
        if (caller.IsOperator)
            return await db.Tenants.AsNoTracking().OrderBy(t => t.Name).Take(OperatorChoices)
                .Select(t => new PortalTenant(t.Id, t.Name, t.WaldurCustomerUuid, t.IsBlocked)).ToListAsync(ct);
        var current = caller.TenantId;
        var choices = new List<PortalTenant>();
        // One tenant at a time, through the tenant filter, as everything else in the portal is read.
        foreach (var tenant in caller.MemberOf)
            if (caller.Use(tenant) && await TenantAsync(tenant, ct) is { } found) choices.Add(found);
        if (current is { } c) caller.Use(c);
        return choices;
    }

    /// <summary>The tenant asked for (the switcher's cookie), else the member's current one; null for an operator who chose none.</summary>
    public async Task<PortalTenant?> OpenTenantAsync(Guid? chosen, CancellationToken ct)
    {
        var tenant = caller.IsOperator ? chosen : chosen is { } c && caller.MemberOf.Contains(c) ? c : caller.TenantId;
        if (tenant is not { } id || !caller.Use(id)) return null;
        return await TenantAsync(id, ct);
    }

    /// <summary>Switches to a tenant the person belongs to (any tenant for an operator); null, and no switch, otherwise.</summary>
    public async Task<PortalTenant?> SwitchAsync(Guid tenant, CancellationToken ct) => caller.Use(tenant) ? await TenantAsync(tenant, ct) : null;

    /// <summary>
    /// The access, if the person may open it: an operator any, a member one of any of their tenants (the portal then
    /// switches to that tenant). Null otherwise, as for an access that does not exist.
    /// </summary>
    public async Task<PortalAccess?> OpenAccessAsync(Guid accessId, CancellationToken ct)
    {
        Guid? owner = null;
        if (caller.IsOperator)
        {
            owner = await db.Accesses.Where(a => a.Id == accessId).Select(a => (Guid?)a.TenantId).FirstOrDefaultAsync(ct);
        }
        else
        {
            // The current tenant first; a link from Waldur may lead into another of the person's tenants.
            foreach (var tenant in caller.MemberOf.OrderBy(t => t == caller.TenantId ? 0 : 1))
                if (caller.Use(tenant) && await db.Accesses.AnyAsync(a => a.Id == accessId, ct)) { owner = tenant; break; }
        }
        if (owner is not { } tenantId || !caller.Use(tenantId)) return null;
        return await db.Accesses.AsNoTracking().Where(a => a.Id == accessId)
            .Select(a => new PortalAccess(a.Id, a.Name, a.State, new PortalTenant(a.TenantId, a.Tenant!.Name, a.Tenant.WaldurCustomerUuid, a.Tenant.IsBlocked),
                a.AgentId, a.Agent!.Name, a.Agent.Slug, a.Agent.WaldurOfferingUuid, a.Plan!.Name, a.WaldurResourceUuid, a.CreatedAt,
                new AccessStanding(a.State, a.Tenant.IsBlocked, a.Project!.IsRemoved, a.Project.EndDate)))
            .FirstOrDefaultAsync(ct);
    }

    private Task<PortalTenant?> TenantAsync(Guid id, CancellationToken ct) =>
        db.Tenants.AsNoTracking().Where(t => t.Id == id).Select(t => new PortalTenant(t.Id, t.Name, t.WaldurCustomerUuid, t.IsBlocked)).FirstOrDefaultAsync(ct);
}
