using AgentRegistry.Infrastructure;

namespace AgentRegistry.Tenancy;

/// <summary>A customer organisation (a Waldur customer).</summary>
public sealed class Tenant : IAudited, ITenant
{
    public Guid Id { get; init; } = Ids.New();
    public required string Name { get; set; }
    public required string Slug { get; set; }
    public string? Email { get; set; }
    public Guid? WaldurCustomerUuid { get; set; }
    public bool IsBlocked { get; set; }
    [Stamped]
    public DateTime CreatedAt { get; init; }
    [Stamped]
    public DateTime UpdatedAt { get; set; }
}
