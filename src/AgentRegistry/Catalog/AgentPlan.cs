using AgentRegistry.Infrastructure;

namespace AgentRegistry.Catalog;

/// <summary>A priced plan of an agent; one Waldur plan.</summary>
public sealed class AgentPlan : IAudited
{
    public Guid Id { get; init; } = Ids.New();
    public Guid AgentId { get; set; }
    public Agent? Agent { get; set; }
    public required string Name { get; set; }
    public string Description { get; set; } = "";
    /// <summary>Waldur billing unit of the plan's fixed price: month, day, hour, half_month, quantity, quarter.</summary>
    public string Unit { get; set; } = "month";
    public decimal UnitPrice { get; set; }
    public bool IsActive { get; set; } = true;
    public List<PlanComponent> Components { get; set; } = [];
    public Guid? WaldurPlanUuid { get; set; }
    [Stamped]
    public DateTime CreatedAt { get; init; }
    /// <summary>1 for a new plan; an edit of the prices or components of a plan that accesses use makes the next version.</summary>
    public int Version { get; set; } = 1;
    /// <summary>The version that replaced this one (null: this is the current version). Accesses keep theirs until switched.</summary>
    public Guid? ReplacedById { get; set; }
    public bool IsCurrent => ReplacedById is null;
}

/// <summary>
/// One metered unit of a plan (a Waldur offering component): its price per unit and its quota.
/// Raw usage is counted in whole units of <see cref="Metric"/>; <see cref="UnitSize"/> converts it
/// to the billed unit (e.g. 1000 tokens per billed unit).
/// </summary>
public sealed class PlanComponent
{
    public required string Type { get; set; }
    public required string Name { get; set; }
    public string MeasuredUnit { get; set; } = "";
    /// <summary>Waldur billing type: usage, limit, fixed, one, few.</summary>
    public string BillingType { get; set; } = "usage";
    public string Metric { get; set; } = "";
    public long UnitSize { get; set; } = 1;
    public decimal Price { get; set; }
    /// <summary>Included amount per month in billed units; null means unlimited.</summary>
    public decimal? Limit { get; set; }
    /// <summary>When true, usage stops at the limit (429); otherwise it is billed beyond it.</summary>
    public bool HardLimit { get; set; }
}
