using AgentRegistry.Infrastructure;

namespace AgentRegistry.Tenancy;

/// <summary>A project of a tenant (a Waldur project); accesses belong to a project.</summary>
public sealed class TenantProject : ITenantOwned, IAudited
{
    public Guid Id { get; init; } = Ids.New();
    public Guid TenantId { get; set; }
    public Tenant? Tenant { get; set; }
    public required string Name { get; set; }
    public Guid? WaldurProjectUuid { get; set; }
    public DateOnly? EndDate { get; set; }
    public bool IsRemoved { get; set; }
    [Stamped]
    public DateTime CreatedAt { get; init; }
}
