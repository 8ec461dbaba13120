namespace AgentRegistry.Catalog;

/// <summary>
/// Whether an agent or a plan is in use outside the catalog (by accesses): the catalog does not delete what is in use,
/// and versions a plan in use instead of changing what it bills. The feature that uses catalog entries answers, so the
/// catalog depends on none.
/// </summary>
public interface ICatalogUse
{
    Task<bool> AgentInUseAsync(Guid agentId, CancellationToken ct);

    /// <summary>An access is on the plan; <paramref name="orWas"/>: or was on it (a period of its plan history).</summary>
    Task<bool> PlanInUseAsync(Guid planId, bool orWas, CancellationToken ct);
}
