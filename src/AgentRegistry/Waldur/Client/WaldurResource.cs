using System.Text.Json;

namespace AgentRegistry.Waldur.Client;

/// <summary>A marketplace resource (marketplace-provider-resources): what a customer holds of an offering.</summary>
public sealed record WaldurResource(
    Guid Uuid,
    string? Name,
    string State,
    Guid? OfferingUuid,
    Guid? PlanUuid,
    Guid? ProjectUuid,
    Guid? CustomerUuid,
    string? BackendId,
    IReadOnlyDictionary<string, JsonElement>? BackendMetadata,
    IReadOnlyDictionary<string, JsonElement>? Attributes,
    IReadOnlyDictionary<string, decimal>? Limits,
    string? ErrorMessage,
    DateTimeOffset? Created,
    DateTimeOffset? Modified);

/// <summary>Waldur's resource states (ResourceState).</summary>
public static class WaldurResourceState
{
    public const string Creating = "Creating";
    public const string Ok = "OK";
    public const string Erred = "Erred";
    public const string Updating = "Updating";
    public const string Terminating = "Terminating";
    public const string Terminated = "Terminated";
}

/// <summary>A span of a resource's plan (ResourcePlanPeriod); Waldur lists the active and future ones.</summary>
public sealed record WaldurPlanPeriod(Guid Uuid, string? PlanName, Guid? PlanUuid, DateTimeOffset? Start, DateTimeOffset? End);
