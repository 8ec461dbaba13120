using System.Text.Json.Nodes;
using WaldurEmulator.Features.Events;
using WaldurEmulator.Features.Orders;
using WaldurEmulator.Infrastructure;
using WaldurEmulator.State;

namespace WaldurEmulator.Features.Resources;

/// <summary>/api/marketplace-provider-resources/ (and the consumer view /api/marketplace-resources/).</summary>
internal static class ResourceApi
{
    private const string Route = "/marketplace-provider-resources/";

    public static void MapResources(this IEndpointRouteBuilder api)
    {
        foreach (var route in new[] { Route, "/marketplace-resources/" })
        {
            api.MapMethods(route, ["GET", "HEAD"], (HttpContext http, EmulatorStore store) =>
            {
                lock (store.Sync) return Paging.List(http, Filter(http, store),
                    r => ResourceJsonMapper.Resource(store, Urls.From(http.Request), r));
            });
            api.MapGet(route + "{uuid}/", (string uuid, HttpContext http, EmulatorStore store) =>
            {
                lock (store.Sync) return Paging.One(http, ResourceJsonMapper.Resource(store, Urls.From(http.Request), store.Resources.Get(uuid)));
            });
        }
        api.MapGet(Route + "{uuid}/plan_periods/", (string uuid, EmulatorStore store) =>
        {
            lock (store.Sync)
            {
                var resource = store.Resources.Get(uuid);
                var periods = new JsonArray([.. resource.PlanPeriods.Select(p => (JsonNode)ResourceJsonMapper.PlanPeriod(store, resource, p))]);
                return Results.Json(periods, EmulatorJson.Options);
            }
        });
        api.MapResourceActions(Route);
    }

    private static List<Resource> Filter(HttpContext http, EmulatorStore store)
    {
        var q = ListQuery.From(http);
        return store.Resources.All.Reverse()
            .WhenAny(q.Uuids("offering_uuid"), r => r.OfferingUuid)
            .When(q.Uuid("project_uuid"), (r, v) => r.ProjectUuid == v)
            .When(q.Uuid("customer_uuid"), (r, v) => store.Projects.Get(r.ProjectUuid).CustomerUuid == v)
            .When(q.Uuid("provider_uuid"), (r, v) => store.Offerings.Get(r.OfferingUuid).CustomerUuid == v)
            .When(q.Uuid("plan_uuid"), (r, v) => r.PlanUuid == v)
            .When(q.Text("backend_id"), (r, v) => r.BackendId == v)
            .When(q.Text("name"), (r, v) => r.Name.Has(v))
            .When(q.Text("name_exact"), (r, v) => r.Name == v)
            .When(q.Text("query"), (r, v) => r.Name.Has(v) || r.BackendId.Has(v))
            .WhenAny(q.All("state"), r => r.State)
            .ToList();
    }
}
