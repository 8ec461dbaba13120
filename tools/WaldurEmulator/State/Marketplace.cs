using System.Text.Json.Nodes;

namespace WaldurEmulator.State;

/// <summary>What a provider publishes: offerings with their components and plans.</summary>
internal sealed class Offering
{
    public required string Uuid { get; init; }
    public required string Name { get; set; }
    public required string Slug { get; set; }
    public string Description { get; set; } = "";
    public string FullDescription { get; set; } = "";
    public string GettingStarted { get; set; } = "";
    public string IntegrationGuide { get; set; } = "";
    public string VendorDetails { get; set; } = "";
    public string? AccessUrl { get; set; }
    public string? PrivacyPolicyLink { get; set; }
    public required string CustomerUuid { get; init; }
    public required string CategoryUuid { get; set; }
    public required string Type { get; init; }
    public string State { get; set; } = OfferingStates.Draft;
    public string PausedReason { get; set; } = "";
    public bool Shared { get; set; } = true;
    public bool Billable { get; set; } = true;
    public string BackendId { get; set; } = "";
    public JsonObject Attributes { get; set; } = [];
    public JsonObject BackendMetadata { get; set; } = [];
    public List<OfferingComponent> Components { get; } = [];
    public required DateTimeOffset Created { get; init; }
}

internal static class OfferingStates
{
    public const string Draft = "Draft", Active = "Active", Paused = "Paused", Archived = "Archived", Unavailable = "Unavailable";
}

internal sealed class OfferingComponent
{
    public required string Uuid { get; init; }
    public required string Type { get; set; }
    public required string Name { get; set; }
    public required string BillingType { get; set; }
    public string Description { get; set; } = "";
    public string MeasuredUnit { get; set; } = "";
    public string? LimitPeriod { get; set; }
    public long? LimitAmount { get; set; }
    public string ArticleCode { get; set; } = "";
    public long? MaxValue { get; set; }
    public long? MinValue { get; set; }
    public long? MaxAvailableLimit { get; set; }
    public long? DefaultLimit { get; set; }
    public long UnitFactor { get; set; } = 1;
    public bool IsBoolean { get; set; }
    public bool IsPrepaid { get; set; }
    public bool AcceptsUsage => BillingType is "usage" or "limit";
}

internal sealed class Plan
{
    public required string Uuid { get; init; }
    public required string OfferingUuid { get; init; }
    public required string Name { get; set; }
    public string Description { get; set; } = "";
    public string Unit { get; set; } = "month";
    public decimal UnitPrice { get; set; }
    public string ArticleCode { get; set; } = "";
    public long? MaxAmount { get; set; }
    public bool Archived { get; set; }
    public string BackendId { get; set; } = "";
    public Dictionary<string, decimal> Prices { get; } = [];
    public Dictionary<string, long> Quotas { get; } = [];
    public required DateTimeOffset Created { get; init; }
}
