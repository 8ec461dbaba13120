using AgentRegistry.Catalog;
using AgentRegistry.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Access;

/// <summary>Agents and plans are in use while accesses subscribe to them (plans also while a plan period refers to them).</summary>
internal sealed class CatalogUse(RegistryDb db) : ICatalogUse
{
    public Task<bool> AgentInUseAsync(Guid agentId, CancellationToken ct) => db.Accesses.AnyAsync(a => a.AgentId == agentId, ct);

    public async Task<bool> PlanInUseAsync(Guid planId, bool orWas, CancellationToken ct) =>
        await db.Accesses.IgnoreQueryFilters().AnyAsync(a => a.PlanId == planId, ct)
        || orWas && await db.AccessPlanPeriods.IgnoreQueryFilters().AnyAsync(p => p.PlanId == planId, ct);
}
