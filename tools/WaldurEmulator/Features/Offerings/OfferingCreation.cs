using WaldurEmulator.Infrastructure;
using WaldurEmulator.State;

namespace WaldurEmulator.Features.Offerings;

/// <summary>POST /api/marketplace-provider-offerings/: an offering in Draft with its components and plans.</summary>
internal static class OfferingCreation
{
    public static Offering Create(EmulatorStore store, JsonBody body)
    {
        var name = body.RequiredString("name");
        var type = body.RequiredString("type");
        var categoryUuid = Urls.UuidFrom("category", body.OptionalString("category"), "marketplace-categories");
        if (store.Categories.Find(categoryUuid) is null)
            throw ApiException.Field("category", "Invalid hyperlink - Object does not exist.");
        var customerUuid = Urls.UuidFrom("customer", body.OptionalString("customer"), "customers");
        if (store.Customers.Find(customerUuid) is null)
            throw ApiException.Field("customer", "Invalid hyperlink - Object does not exist.");
        if (!store.ServiceProviders.All.Any(s => s.CustomerUuid == customerUuid))
            throw ApiException.NonField("Service provider does not exist.");

        var offering = new Offering
        {
            Uuid = Hex.NewUuid(), Name = name, Type = type, CategoryUuid = categoryUuid, CustomerUuid = customerUuid,
            Slug = body.OptionalString("slug") ?? EmulatorStore.Slug(name, store.Offerings.All.Select(o => o.Slug)),
            Description = body.OptionalString("description") ?? "",
            FullDescription = body.OptionalString("full_description") ?? "",
            GettingStarted = body.OptionalString("getting_started") ?? "",
            IntegrationGuide = body.OptionalString("integration_guide") ?? "",
            VendorDetails = body.OptionalString("vendor_details") ?? "",
            AccessUrl = body.OptionalString("access_url"),
            PrivacyPolicyLink = body.OptionalString("privacy_policy_link"),
            Shared = body.OptionalBool("shared") ?? true,
            Billable = body.OptionalBool("billable") ?? true,
            BackendId = body.OptionalString("backend_id") ?? "",
            Attributes = body.OptionalObject("attributes") ?? [],
            BackendMetadata = body.OptionalObject("backend_metadata") ?? [],
            Created = store.Now,
        };
        foreach (var node in body.OptionalArray("components") ?? [])
        {
            var component = OfferingRequests.Component(node, "components");
            if (offering.Components.Any(c => c.Type == component.Type))
                throw ApiException.Field("components", $"Component type {component.Type} is not unique.");
            offering.Components.Add(component);
        }

        var plans = new List<Plan>();
        foreach (var node in body.OptionalArray("plans") ?? [])
        {
            if (node is not System.Text.Json.Nodes.JsonObject json) throw ApiException.Field("plans", "Expected a dictionary of items.");
            var plan = new Plan { Uuid = Hex.NewUuid(), OfferingUuid = offering.Uuid, Name = "", Created = store.Now };
            OfferingRequests.ApplyPlan(new JsonBody(json), plan, offering, partial: false);
            plans.Add(plan);
        }

        store.Offerings.Add(offering);
        foreach (var plan in plans) store.Plans.Add(plan);
        return offering;
    }
}
