using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using WaldurEmulator.Features.Plans;
using WaldurEmulator.Infrastructure;
using WaldurEmulator.State;

namespace WaldurEmulator.Features.Offerings;

internal sealed record OfferingOptionsJson(IReadOnlyList<string> Order, JsonObject Options);

internal sealed record OfferingJson(
    string Url, string Uuid, string Created, string Name, string Slug, string Description, string FullDescription,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? PrivacyPolicyLink,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? AccessUrl,
    string Customer, string CustomerUuid, string CustomerName, string? Project, string? ProjectUuid,
    string? ProjectName, string Category, string CategoryUuid, string CategoryTitle, JsonObject Attributes,
    OfferingOptionsJson Options, OfferingOptionsJson ResourceOptions, IReadOnlyList<JsonObject> Components,
    JsonObject PluginOptions, JsonObject SecretOptions, JsonObject ServiceAttributes, string State,
    string VendorDetails, string GettingStarted, string IntegrationGuide, string? Thumbnail, int OrderCount,
    IReadOnlyList<JsonObject> Plans, string Type, bool Shared, bool Billable, string? ScopeUuid, string? ScopeName,
    string? ScopeState, string? ScopeErrorMessage, string PausedReason, string DataciteDoi, int CitationCount,
    double? Latitude, double? Longitude, string BackendId, string? Image, int? TotalCustomers, int? TotalCost,
    int? TotalCostEstimated, string? ParentDescription, string? ParentUuid, string? ParentName,
    JsonObject BackendMetadata, bool HasComplianceRequirements, string BillingTypeClassification,
    string? ComplianceChecklist, IReadOnlyList<object>? IntegrationStatus, bool? GoogleCalendarIsPublic,
    string? GoogleCalendarLink, IReadOnlyList<object> Endpoints, IReadOnlyList<object> SoftwareCatalogs,
    IReadOnlyList<object> Partitions, IReadOnlyList<object> Roles, IReadOnlyList<object> Screenshots,
    IReadOnlyList<object> Files, IReadOnlyList<object> Quotas, IReadOnlyList<object> OrganizationGroups,
    IReadOnlyList<object> Tags);

internal sealed record ComponentJson(
    string Uuid, string BillingType, string Type, string Name, string Description, string MeasuredUnit,
    long UnitFactor, string? LimitPeriod, long? LimitAmount, string ArticleCode, long? MaxValue, long? MinValue,
    long? MaxAvailableLimit, bool IsBoolean, long? DefaultLimit, long? Factor, bool IsBuiltin, bool IsPrepaid,
    string? OverageComponent, long? MinPrepaidDuration, long? MaxPrepaidDuration);

/// <summary>Offerings as ProviderOfferingDetails and PublicOfferingDetails describe them.</summary>
internal static class OfferingJsonMapper
{
    private static readonly string[] ProviderOnly = ["integration_status", "secret_options", "service_attributes"];

    public static JsonObject Provider(EmulatorStore store, Urls urls, Offering o)
    {
        var customer = store.Customers.Get(o.CustomerUuid);
        var category = store.Categories.Get(o.CategoryUuid);
        var plans = store.Plans.All.Where(p => p.OfferingUuid == o.Uuid)
            .Select(p => PlanJsonMapper.Base(store, urls, p)).ToList();
        var resources = store.Resources.All.Where(r => r.OfferingUuid == o.Uuid).ToList();
        return EmulatorJson.ToObject(new OfferingJson(urls.Offering(o.Uuid), o.Uuid, Clock.Iso(o.Created), o.Name,
            o.Slug, o.Description, o.FullDescription, o.PrivacyPolicyLink, o.AccessUrl, urls.Customer(customer.Uuid),
            customer.Uuid, customer.Name, null, null, null, urls.Category(category.Uuid), category.Uuid, category.Title,
            (JsonObject)o.Attributes.DeepClone(), new([], []), new([], []), o.Components.Select(Component).ToList(),
            [], [], [], o.State, o.VendorDetails, o.GettingStarted, o.IntegrationGuide, null,
            store.Orders.All.Count(r => r.OfferingUuid == o.Uuid), plans, o.Type, o.Shared, o.Billable, null, null,
            null, null, o.PausedReason, "", 0, null, null, o.BackendId, null,
            resources.Select(r => store.Projects.Get(r.ProjectUuid).CustomerUuid).Distinct().Count(), 0, 0, null, null,
            null, (JsonObject)o.BackendMetadata.DeepClone(), false, Classification(o), null, [], null, null,
            [], [], [], [], [], [], [], [], []));
    }

    public static JsonObject Public(EmulatorStore store, Urls urls, Offering o)
    {
        var json = Provider(store, urls, o);
        foreach (var key in ProviderOnly) json.Remove(key);
        json["url"] = urls.PublicOffering(o.Uuid);
        json["user_has_consent"] = true;
        json["is_accessible"] = true;
        json["promotion_campaigns"] = new JsonArray();
        return json;
    }

    public static JsonObject Component(OfferingComponent c) => EmulatorJson.ToObject(new ComponentJson(c.Uuid,
        c.BillingType, c.Type, c.Name, c.Description, c.MeasuredUnit, c.UnitFactor, c.LimitPeriod, c.LimitAmount,
        c.ArticleCode, c.MaxValue, c.MinValue, c.MaxAvailableLimit, c.IsBoolean, c.DefaultLimit, null, false,
        c.IsPrepaid, null, null, null));

    private static string Classification(Offering o)
    {
        var types = o.Components.Select(c => c.BillingType).Distinct().ToList();
        return types.Count switch { 0 => "fixed", 1 => types[0], _ => "mixed" };
    }
}
