namespace AgentRegistry.Infrastructure;

/// <summary>A row that belongs to one tenant; the data layer filters it by the caller's tenant.</summary>
public interface ITenantOwned
{
    Guid TenantId { get; }
}

/// <summary>A tenant itself: the data layer shows a member their own tenant only, and its audit entries carry its id.</summary>
public interface ITenant
{
    Guid Id { get; }
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
