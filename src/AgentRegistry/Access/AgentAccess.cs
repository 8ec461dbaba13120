using AgentRegistry.Catalog;
using AgentRegistry.Infrastructure;
using AgentRegistry.Tenancy;

namespace AgentRegistry.Access;

public enum AccessState { Provisioning, Active, Suspended, Terminated }

/// <summary>A project's subscription to an agent under a plan: one Waldur marketplace resource.</summary>
public sealed class AgentAccess : ITenantOwned, IAudited
{
    public Guid Id { get; init; } = Ids.New();
    public Guid TenantId { get; set; }
    public Tenant? Tenant { get; set; }
    public Guid ProjectId { get; set; }
    public TenantProject? Project { get; set; }
    public Guid AgentId { get; set; }
    public Agent? Agent { get; set; }
    public Guid PlanId { get; set; }
    public AgentPlan? Plan { get; set; }
    /// <summary>When <see cref="Plan"/> took over from a previous plan (an Update order); null: the plan it was created with.</summary>
    public DateTime? PlanSince { get; set; }
    /// <summary>The limits chosen in Waldur (the order's or set later), per component type in billed units: a prepaid
    /// (<c>limit</c>) component's monthly allowance, which Waldur invoices and the registry enforces instead of the plan's limit.</summary>
    public Dictionary<string, decimal> Limits { get; set; } = [];
    public AccessState State { get; private set; } = AccessState.Provisioning;
    public string Name { get; set; } = "";
    public Guid? WaldurResourceUuid { get; set; }
    public Guid? WaldurOrderUuid { get; set; }
    [Stamped]
    public DateTime CreatedAt { get; init; }
    [Stamped]
    public DateTime StateChangedAt { get; private set; }
    public DateTime? TerminatedAt { get; private set; }

    public bool CanMoveTo(AccessState next) => (State, next) switch
    {
        (AccessState.Provisioning, AccessState.Active or AccessState.Terminated) => true,
        (AccessState.Active, AccessState.Suspended or AccessState.Terminated) => true,
        (AccessState.Suspended, AccessState.Active or AccessState.Terminated) => true,
        _ => false,
    };

    /// <summary>Moves the state machine at <paramref name="now"/>; throws <see cref="ConflictException"/> on a transition it does not allow.</summary>
    public void MoveTo(AccessState next, DateTime now)
    {
        if (next == State) return;
        if (!CanMoveTo(next))
            throw new ConflictException("invalid-state-transition", $"An access in state {State} cannot become {next}.");
        State = next;
        StateChangedAt = now;
        if (next == AccessState.Terminated) TerminatedAt = StateChangedAt;
    }
}
