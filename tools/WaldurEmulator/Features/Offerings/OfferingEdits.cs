using WaldurEmulator.Infrastructure;
using WaldurEmulator.State;

namespace WaldurEmulator.Features.Offerings;

/// <summary>Offering edits: overview, description (category) and the component actions.</summary>
internal static class OfferingEdits
{
    public static void MapOfferingEdits(this IEndpointRouteBuilder api, string route)
    {
        Edit(api, route + "{uuid}/update_overview/", 200, (store, offering, body) =>
        {
            offering.Name = body.RequiredString("name");
            offering.Description = body.OptionalString("description") ?? offering.Description;
            offering.FullDescription = body.OptionalString("full_description") ?? offering.FullDescription;
            offering.AccessUrl = body.OptionalString("access_url") ?? offering.AccessUrl;
            offering.PrivacyPolicyLink = body.OptionalString("privacy_policy_link") ?? offering.PrivacyPolicyLink;
            offering.GettingStarted = body.OptionalString("getting_started") ?? offering.GettingStarted;
            offering.IntegrationGuide = body.OptionalString("integration_guide") ?? offering.IntegrationGuide;
            offering.Slug = body.OptionalString("slug") ?? offering.Slug;
        });
        Edit(api, route + "{uuid}/update_description/", 200, (store, offering, body) =>
        {
            var category = Urls.UuidFrom("category", body.OptionalString("category"), "marketplace-categories");
            offering.CategoryUuid = store.Categories.Find(category)?.Uuid
                ?? throw ApiException.Field("category", "Invalid hyperlink - Object does not exist.");
        });
        Edit(api, route + "{uuid}/create_offering_component/", 201, (store, offering, body) =>
        {
            var component = OfferingRequests.Component(body.Json, "component");
            if (offering.Components.Any(c => c.Type == component.Type))
                throw ApiException.Field("type", $"Component type {component.Type} already exists.");
            offering.Components.Add(component);
        });
        Edit(api, route + "{uuid}/update_offering_component/", 200, (store, offering, body) =>
        {
            var component = FindComponent(offering, body);
            var type = body.RequiredString("type");
            if (offering.Components.Any(c => c != component && c.Type == type))
                throw ApiException.Field("type", $"Component type {type} already exists.");
            OfferingRequests.Component(body.Json, "component", component);
        });
        Edit(api, route + "{uuid}/remove_offering_component/", 200, (store, offering, body) =>
        {
            var component = FindComponent(offering, body);
            if (store.Usages.All.Any(u => u.Type == component.Type
                    && store.Resources.Find(u.ResourceUuid)?.OfferingUuid == offering.Uuid))
                throw ApiException.NonField("Component with usages cannot be removed.");
            offering.Components.Remove(component);
        });
    }

    private static OfferingComponent FindComponent(Offering offering, JsonBody body)
    {
        var uuid = Hex.Normalize(body.RequiredString("uuid")) ?? throw ApiException.Field("uuid", "Must be a valid UUID.");
        return offering.Components.Find(c => c.Uuid == uuid)
            ?? throw ApiException.Field("uuid", "Offering component does not exist.");
    }

    private static void Edit(IEndpointRouteBuilder api, string pattern, int status, Action<EmulatorStore, Offering, JsonBody> edit) =>
        api.MapPost(pattern, async (string uuid, HttpContext http, EmulatorStore store) =>
        {
            var body = await JsonBody.ReadAsync(http.Request);
            lock (store.Sync)
            {
                edit(store, store.Offerings.Get(uuid), body);
                return Results.StatusCode(status);
            }
        });
}
