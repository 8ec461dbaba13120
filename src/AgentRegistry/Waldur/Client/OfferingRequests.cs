namespace AgentRegistry.Waldur.Client;

/// <summary>A new offering: created in Draft with its components and plans.</summary>
public sealed record OfferingRequest(
    string Name,
    string? Description,
    Guid CustomerUuid,
    Guid CategoryUuid,
    string Type,
    IReadOnlyList<OfferingComponentRequest> Components,
    IReadOnlyList<PlanRequest> Plans)
{
    /// <summary>Waldur's site-agent type: orders wait in executing until the provider sets them done.</summary>
    public const string SiteAgentType = "Marketplace.Slurm";
    public const string BasicType = "Marketplace.Basic";
}

/// <summary>A component to create or update; <paramref name="Type"/> matches <c>^[a-zA-Z0-9_\-/:]+$</c>.</summary>
public sealed record OfferingComponentRequest(
    string Type,
    string Name,
    string BillingType,
    string? MeasuredUnit = null,
    string? Description = null,
    string? LimitPeriod = null,
    long? LimitAmount = null,
    long? MinValue = null,
    long? MaxValue = null,
    long? DefaultLimit = null);

/// <summary>A plan; <paramref name="Unit"/> is month, quarter, half_month, day, hour or quantity.</summary>
public sealed record PlanRequest(string Name, string? Description = null, string Unit = "month", decimal? UnitPrice = null);

/// <summary>The texts shown on an offering's page (update_overview).</summary>
public sealed record OfferingOverview(string Name, string? Description = null, string? FullDescription = null,
    string? GettingStarted = null, string? IntegrationGuide = null);

/// <summary>One component's cumulative month-to-date amount for set_usage (never a delta).</summary>
public sealed record ComponentUsageReport(string Type, decimal Amount, string? Description = null);
