using System.Text.Json;

namespace AgentRegistry.Waldur.Client;

/// <summary>
/// A marketplace order as the provider sees it. <see cref="MarketplaceResourceUuid"/> is the marketplace
/// resource (use it for resource and usage calls); <see cref="ResourceUuid"/> is the backend scope, usually null.
/// </summary>
public sealed record WaldurOrder(
    Guid Uuid,
    string Type,
    string State,
    Guid? OfferingUuid,
    Guid? PlanUuid,
    Guid? ProjectUuid,
    Guid? CustomerUuid,
    Guid? MarketplaceResourceUuid,
    Guid? ResourceUuid,
    IReadOnlyDictionary<string, JsonElement>? Attributes,
    IReadOnlyDictionary<string, decimal>? Limits,
    string? CreatedByUsername,
    string? BackendId,
    string? ErrorMessage,
    DateTimeOffset? Created,
    DateTimeOffset? Modified);

/// <summary>Waldur's order states (OrderState).</summary>
public static class WaldurOrderState
{
    public const string PendingConsumer = "pending-consumer";
    public const string PendingProvider = "pending-provider";
    public const string PendingProject = "pending-project";
    public const string PendingStartDate = "pending-start-date";
    public const string Executing = "executing";
    public const string Done = "done";
    public const string Erred = "erred";
    public const string Canceled = "canceled";
    public const string Rejected = "rejected";
}

/// <summary>Waldur's order types (RequestTypes).</summary>
public static class WaldurOrderType
{
    public const string Create = "Create";
    public const string Update = "Update";
    public const string Terminate = "Terminate";
    public const string Restore = "Restore";
}
