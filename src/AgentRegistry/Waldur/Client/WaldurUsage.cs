namespace AgentRegistry.Waldur.Client;

/// <summary>A stored usage value of one component of a resource in one billing period (a calendar month, UTC).</summary>
public sealed record WaldurComponentUsage(
    Guid Uuid,
    string Type,
    string? Name,
    decimal Usage,
    string? Description,
    Guid? ResourceUuid,
    DateOnly BillingPeriod,
    DateTimeOffset? Date,
    DateTimeOffset? Created);
