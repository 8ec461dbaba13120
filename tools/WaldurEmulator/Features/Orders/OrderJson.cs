using System.Text.Json.Nodes;
using WaldurEmulator.Infrastructure;
using WaldurEmulator.State;

namespace WaldurEmulator.Features.Orders;

internal sealed record OrderJson(
    string Offering, string OfferingName, string OfferingUuid, string OfferingDescription, string OfferingType,
    bool OfferingShared, bool OfferingBillable, JsonObject OfferingPluginOptions, string ProviderName,
    string ProviderUuid, string ProviderSlug, string CategoryTitle, string CategoryUuid, string? Plan,
    string? PlanUnit, string? PlanName, string? PlanUuid, string? PlanDescription, JsonObject Attributes,
    Dictionary<string, long> Limits, string Uuid, string Created, string Modified,
    // resource_uuid is the BACKEND scope (none for site-agent offerings); the marketplace resource is below.
    string? ResourceUuid, string? ResourceType, string ResourceName, string? Cost, string State, string Output,
    string MarketplaceResourceUuid, string ErrorMessage, string ErrorTraceback, string? CallbackUrl,
    string? CompletedAt, string? RequestComment, string Type, string? StartDate, string Slug, string Url,
    string? ConsumerReviewedBy, string? ConsumerReviewedByFullName, string? ConsumerReviewedByUsername,
    string? ConsumerReviewedAt, string? ProviderReviewedBy, string? ProviderReviewedByFullName,
    string? ProviderReviewedByUsername, string? ProviderReviewedAt, string CreatedByUsername,
    string CreatedByFullName, string? CreatedByCivilNumber, string? CreatedByEmail, string? CreatedByOrganization,
    string? CreatedByOrganizationRegistryCode, string CustomerName, string CustomerUuid, string CustomerSlug,
    string ProjectName, string ProjectUuid, string ProjectDescription, string ProjectSlug, string? OldPlanName,
    string? NewPlanName, string? OldPlanUuid, string? NewPlanUuid, decimal OldCostEstimate, string? NewCostEstimate,
    bool CanTerminate, decimal FixedPrice, decimal ActivationPrice, string? TerminationComment, string BackendId,
    string? OrderSubtype, string ProviderMessage, string ConsumerMessage, string ConsumerRejectionComment,
    string ProviderRejectionComment, object? Issue);

/// <summary>Orders as OrderDetails describes them.</summary>
internal static class OrderJsonMapper
{
    public static JsonObject Order(EmulatorStore store, Urls urls, Order o)
    {
        var offering = store.Offerings.Get(o.OfferingUuid);
        var provider = store.Customers.Get(offering.CustomerUuid);
        var category = store.Categories.Get(offering.CategoryUuid);
        var plan = store.Plans.Find(o.PlanUuid);
        var oldPlan = store.Plans.Find(o.OldPlanUuid);
        var resource = store.Resources.Get(o.ResourceUuid);
        var project = store.Projects.Get(o.ProjectUuid);
        var customer = store.Customers.Get(project.CustomerUuid);
        var createdBy = store.Users.Get(o.CreatedByUuid);
        var reviewer = store.Users.Find(o.ProviderReviewedByUuid);
        var isUpdate = o.Type == OrderTypes.Update;
        return EmulatorJson.ToObject(new OrderJson(urls.Offering(offering.Uuid), offering.Name, offering.Uuid,
            offering.Description, offering.Type, offering.Shared, offering.Billable, [], provider.Name, provider.Uuid,
            provider.Slug, category.Title, category.Uuid, plan is null ? null : urls.Plan(plan.Uuid), plan?.Unit,
            plan?.Name, plan?.Uuid, plan?.Description, (JsonObject)o.Attributes.DeepClone(), new(o.Limits), o.Uuid,
            Clock.Iso(o.Created), Clock.Iso(o.Modified), null, null, resource.Name, Decimals.Price(0), o.State, "",
            resource.Uuid, o.ErrorMessage, o.ErrorTraceback, null, Clock.Iso(o.CompletedAt), o.RequestComment, o.Type,
            null, o.Uuid[..12], urls.Order(o.Uuid), null, null, null, null, reviewer is null ? null : urls.User(reviewer.Uuid),
            reviewer?.FullName, reviewer?.Username, Clock.Iso(o.ProviderReviewedAt), createdBy.Username, createdBy.FullName,
            null, createdBy.Email, null, null, customer.Name, customer.Uuid, customer.Slug, project.Name, project.Uuid,
            project.Description, project.Slug, isUpdate ? oldPlan?.Name : null, isUpdate ? plan?.Name : null,
            isUpdate ? oldPlan?.Uuid : null, isUpdate ? plan?.Uuid : null, 0, null,
            o.State == OrderStates.PendingProvider, 0, 0, null, o.BackendId, null, "", "", "", o.ProviderRejectionComment,
            null));
    }
}
