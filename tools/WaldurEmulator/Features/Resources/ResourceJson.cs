using System.Text.Json.Nodes;
using WaldurEmulator.Features.Offerings;
using WaldurEmulator.Features.Orders;
using WaldurEmulator.Infrastructure;
using WaldurEmulator.State;

namespace WaldurEmulator.Features.Resources;

internal sealed record ResourceJson(
    string Offering, string OfferingName, string OfferingUuid, string OfferingDescription, string OfferingType,
    bool OfferingShared, bool OfferingBillable, JsonObject OfferingPluginOptions, string ProviderName,
    string ProviderUuid, string ProviderSlug, string CategoryTitle, string CategoryUuid, string? Plan,
    string? PlanUnit, string? PlanName, string? PlanUuid, string? PlanDescription, JsonObject Attributes,
    Dictionary<string, long> Limits, string Uuid, string Created, string Modified, string Url, string Description,
    string State, string? ResourceUuid, string BackendId, string EffectiveId, string? ResourceType, string Project,
    string ProjectUuid, string ProjectName, string ProjectDescription, string? ProjectEndDate, string CustomerUuid,
    string CustomerName, string OfferingSlug, JsonObject BackendMetadata, bool IsUsageBased, bool IsLimitBased,
    string Name, string Slug, Dictionary<string, decimal> CurrentUsages, bool CanTerminate, string? EndDate,
    string? EndDateRequestedBy, string? Username, Dictionary<string, decimal> LimitUsage, bool Downscaled,
    bool RestrictMemberAccess, bool Paused, IReadOnlyList<object> Endpoints, string ErrorMessage,
    string ErrorTraceback, JsonObject? Options, IReadOnlyList<string> AvailableActions, string LastSync,
    JsonObject? OrderInProgress, JsonObject? CreationOrder, string ProjectSlug, string CustomerSlug,
    bool UserRequiresReconsent, Dictionary<string, string>? RenewalDate, string OfferingState,
    IReadOnlyList<JsonObject> OfferingComponents, IReadOnlyList<object> Report);

internal sealed record PlanPeriodJson(
    string Uuid, string PlanName, string PlanUuid, string? Start, string? End, IReadOnlyList<BaseUsageJson> Components);

internal sealed record BaseUsageJson(
    string Uuid, string Created, string Description, string Type, string Name, string MeasuredUnit, string Usage,
    string Date, bool Recurring);

/// <summary>Marketplace resources as the Resource schema describes them.</summary>
internal static class ResourceJsonMapper
{
    public static JsonObject Resource(EmulatorStore store, Urls urls, Resource r)
    {
        var offering = store.Offerings.Get(r.OfferingUuid);
        var provider = store.Customers.Get(offering.CustomerUuid);
        var category = store.Categories.Get(offering.CategoryUuid);
        var plan = store.Plans.Find(r.PlanUuid);
        var project = store.Projects.Get(r.ProjectUuid);
        var customer = store.Customers.Get(project.CustomerUuid);
        var orders = store.Orders.All.Where(o => o.ResourceUuid == r.Uuid).ToList();
        var inProgress = orders.LastOrDefault(o => OrderStates.Open.Contains(o.State));
        var creation = orders.FirstOrDefault(o => o.Type == OrderTypes.Create);
        var month = Clock.MonthStart(store.Now);
        var usages = store.Usages.All.Where(u => u.ResourceUuid == r.Uuid && u.BillingPeriod == month)
            .ToDictionary(u => u.Type, u => Decimals.Trim(u.Amount));
        return EmulatorJson.ToObject(new ResourceJson(urls.Offering(offering.Uuid), offering.Name, offering.Uuid,
            offering.Description, offering.Type, offering.Shared, offering.Billable, [], provider.Name, provider.Uuid,
            provider.Slug, category.Title, category.Uuid, plan is null ? null : urls.Plan(plan.Uuid), plan?.Unit,
            plan?.Name, plan?.Uuid, plan?.Description, (JsonObject)r.Attributes.DeepClone(), new(r.Limits), r.Uuid,
            Clock.Iso(r.Created), Clock.Iso(r.Modified), urls.Resource(r.Uuid), r.Description, r.State, null,
            r.BackendId, r.BackendId, null, urls.Project(project.Uuid), project.Uuid, project.Name, project.Description,
            Clock.Date(project.EndDate), customer.Uuid, customer.Name, offering.Slug, (JsonObject)r.BackendMetadata.DeepClone(),
            offering.Components.Any(c => c.BillingType == "usage"), offering.Components.Any(c => c.BillingType == "limit"),
            r.Name, r.Slug, usages, r.State is ResourceStates.Ok or ResourceStates.Erred, null, null, null, [], false,
            false, false, [], r.ErrorMessage, r.ErrorTraceback, null, [], Clock.Iso(r.Modified),
            inProgress is null ? null : OrderJsonMapper.Order(store, urls, inProgress),
            creation is null ? null : OrderJsonMapper.Order(store, urls, creation), project.Slug, customer.Slug, false,
            null, offering.State, offering.Components.Select(OfferingJsonMapper.Component).ToList(), []));
    }

    public static JsonObject PlanPeriod(EmulatorStore store, Resource r, PlanPeriod period)
    {
        var plan = store.Plans.Get(period.PlanUuid);
        var offering = store.Offerings.Get(r.OfferingUuid);
        var month = Clock.MonthStart(store.Now);
        var components = store.Usages.All.Where(u => u.ResourceUuid == r.Uuid && u.BillingPeriod == month)
            .Select(u => Usage(offering, u)).ToList();
        return EmulatorJson.ToObject(new PlanPeriodJson(period.Uuid, plan.Name, plan.Uuid, Clock.Iso(period.Start),
            Clock.Iso(period.End), components));
    }

    private static BaseUsageJson Usage(Offering offering, ComponentUsage u)
    {
        var component = offering.Components.Find(c => c.Type == u.Type);
        return new BaseUsageJson(u.Uuid, Clock.Iso(u.Created), u.Description, u.Type, component?.Name ?? u.Type,
            component?.MeasuredUnit ?? "", Decimals.Amount(u.Amount), Clock.Iso(u.Date), u.Recurring);
    }
}
