using AgentRegistry.Infrastructure;

namespace AgentRegistry.Metering;

/// <summary>Used versus plan limit for one access, metric and billing month, as of <see cref="TakenAt"/>.</summary>
public sealed class TenantQuotaSnapshot : ITenantOwned
{
    public long Id { get; init; }
    public Guid TenantId { get; set; }
    public Guid AccessId { get; set; }
    public required string Metric { get; set; }
    /// <summary>First day of the UTC month.</summary>
    public DateOnly Period { get; set; }
    public long Used { get; set; }
    public long? Limit { get; set; }
    [Stamped]
    public DateTime TakenAt { get; set; }
}
