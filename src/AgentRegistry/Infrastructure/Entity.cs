namespace AgentRegistry.Infrastructure;

/// <summary>A row that belongs to one tenant; the data layer filters it by the caller's tenant.</summary>
public interface ITenantOwned
{
    Guid TenantId { get; }
}

/// <summary>Rows whose changes are recorded in the audit log.</summary>
public interface IAudited
{
    Guid Id { get; }
}

public static class Ids
{
    public static Guid New() => Guid.CreateVersion7();
}
