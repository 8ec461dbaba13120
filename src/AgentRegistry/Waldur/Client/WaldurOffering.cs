namespace AgentRegistry.Waldur.Client;

/// <summary>An offering as its provider sees it (marketplace-provider-offerings).</summary>
public sealed record WaldurOffering(
    Guid Uuid,
    string Name,
    string? Description,
    string Type,
    string State,
    Guid? CustomerUuid,
    Guid? CategoryUuid,
    IReadOnlyList<WaldurOfferingComponent> Components,
    IReadOnlyList<WaldurPlan> Plans,
    DateTimeOffset? Created);

/// <summary>A priced component of an offering; <see cref="Type"/> is the key in prices and usage reports.</summary>
public sealed record WaldurOfferingComponent(
    Guid Uuid,
    string Type,
    string Name,
    string BillingType,
    string? MeasuredUnit,
    string? Description,
    string? LimitPeriod,
    long? LimitAmount);

/// <summary>A plan of an offering; <see cref="Prices"/> maps component type to unit price.</summary>
public sealed record WaldurPlan(
    Guid Uuid,
    string Name,
    string? Description,
    string? Unit,
    decimal? UnitPrice,
    bool Archived,
    IReadOnlyDictionary<string, decimal>? Prices,
    IReadOnlyDictionary<string, decimal>? Quotas);

/// <summary>A marketplace category (offerings need one).</summary>
public sealed record WaldurCategory(Guid Uuid, string Title, string? Description);

/// <summary>A customer registered as a service provider.</summary>
public sealed record WaldurServiceProvider(Guid Uuid, Guid CustomerUuid, string? CustomerName, DateTimeOffset? Created);

/// <summary>Waldur's offering states (OfferingState).</summary>
public static class WaldurOfferingState
{
    public const string Draft = "Draft";
    public const string Active = "Active";
    public const string Paused = "Paused";
    public const string Archived = "Archived";
    public const string Unavailable = "Unavailable";
}

/// <summary>How a component is billed (BillingTypeEnum).</summary>
public static class WaldurBillingType
{
    public const string Fixed = "fixed";
    public const string Usage = "usage";
    public const string Limit = "limit";
    public const string OneTime = "one";
    public const string OnPlanSwitch = "few";
}
