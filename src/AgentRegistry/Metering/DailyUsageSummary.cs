using AgentRegistry.Infrastructure;

namespace AgentRegistry.Metering;

/// <summary>Usage per access, metric and UTC day, recomputed from the raw records.</summary>
public sealed class DailyUsageSummary : ITenantOwned
{
    public long Id { get; init; }
    public Guid TenantId { get; set; }
    public Guid AccessId { get; set; }
    public required string Metric { get; set; }
    public DateOnly Day { get; set; }
    public long Quantity { get; set; }
    [Stamped]
    public DateTime ComputedAt { get; set; }
}
