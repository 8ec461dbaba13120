using AgentRegistry.Infrastructure;

namespace AgentRegistry.Catalog;

public sealed class AgentCategory : IAudited
{
    public Guid Id { get; init; } = Ids.New();
    public required string Name { get; set; }
    public required string Slug { get; set; }
    public string Description { get; set; } = "";
    [Stamped]
    public DateTime CreatedAt { get; init; }
}
