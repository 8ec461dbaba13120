using System.Text.Json.Nodes;
using WaldurEmulator.Features.Orders;
using WaldurEmulator.Infrastructure;
using WaldurEmulator.State;

namespace WaldurEmulator.Features.Offerings;

/// <summary>/api/marketplace-provider-offerings/ and /api/marketplace-public-offerings/.</summary>
internal static class OfferingApi
{
    private const string Route = "/marketplace-provider-offerings/";

    public static void MapOfferings(this IEndpointRouteBuilder api)
    {
        api.MapMethods(Route, ["GET", "HEAD"], (HttpContext http, EmulatorStore store) =>
        {
            lock (store.Sync) return Paging.List(http, Filter(http, store, store.Offerings.All),
                o => OfferingJsonMapper.Provider(store, Urls.From(http.Request), o));
        });
        api.MapGet(Route + "{uuid}/", (string uuid, HttpContext http, EmulatorStore store) =>
        {
            lock (store.Sync) return Paging.One(http, OfferingJsonMapper.Provider(store, Urls.From(http.Request), store.Offerings.Get(uuid)));
        });
        api.MapPost(Route, async (HttpContext http, EmulatorStore store) =>
        {
            var body = await JsonBody.ReadAsync(http.Request);
            lock (store.Sync)
            {
                var offering = OfferingCreation.Create(store, body);
                return Results.Json(OfferingJsonMapper.Provider(store, Urls.From(http.Request), offering), EmulatorJson.Options, statusCode: 201);
            }
        });
        api.MapDelete(Route + "{uuid}/", (string uuid, EmulatorStore store) =>
        {
            lock (store.Sync)
            {
                var offering = store.Offerings.Get(uuid);
                if (offering.State != OfferingStates.Draft) throw ApiException.WrongState(OfferingStates.Draft);
                store.Offerings.Remove(offering);
                foreach (var plan in store.Plans.All.Where(p => p.OfferingUuid == offering.Uuid).ToList()) store.Plans.Remove(plan);
                return Results.NoContent();
            }
        });

        foreach (var action in OfferingTransitions.Names)
            api.MapPost(Route + "{uuid}/" + action + "/", async (string uuid, HttpContext http, EmulatorStore store) =>
            {
                var body = await JsonBody.ReadAsync(http.Request);
                lock (store.Sync)
                {
                    var offering = store.Offerings.Get(uuid);
                    OfferingTransitions.Apply(offering, action, body.OptionalString("paused_reason"));
                    return Results.Json(new JsonObject { ["detail"] = "Offering state updated.", ["state"] = offering.State });
                }
            });

        api.MapOfferingEdits(Route);
        api.MapGet(Route + "{uuid}/orders/", (string uuid, HttpContext http, EmulatorStore store) =>
        {
            lock (store.Sync)
            {
                var offering = store.Offerings.Get(uuid);
                var orders = store.Orders.All.Where(o => o.OfferingUuid == offering.Uuid).Reverse().ToList();
                return Paging.List(http, orders, o => OrderJsonMapper.Order(store, Urls.From(http.Request), o));
            }
        });

        api.MapMethods("/marketplace-public-offerings/", ["GET", "HEAD"], (HttpContext http, EmulatorStore store) =>
        {
            lock (store.Sync)
            {
                var visible = store.Offerings.All.Where(o => o.State is OfferingStates.Active or OfferingStates.Paused);
                return Paging.List(http, Filter(http, store, visible), o => OfferingJsonMapper.Public(store, Urls.From(http.Request), o));
            }
        });
        api.MapGet("/marketplace-public-offerings/{uuid}/", (string uuid, HttpContext http, EmulatorStore store) =>
        {
            lock (store.Sync) return Paging.One(http, OfferingJsonMapper.Public(store, Urls.From(http.Request), store.Offerings.Get(uuid)));
        });
    }

    private static List<Offering> Filter(HttpContext http, EmulatorStore store, IEnumerable<Offering> offerings)
    {
        var q = ListQuery.From(http);
        return offerings
            .When(q.Uuid("customer_uuid"), (o, v) => o.CustomerUuid == v)
            .When(q.Text("customer"), (o, v) => Urls.UuidFrom("customer", v, "customers") == o.CustomerUuid)
            .When(q.Uuid("category_uuid"), (o, v) => o.CategoryUuid == v)
            .WhenAny(q.All("state"), o => o.State)
            .WhenAny(q.All("type"), o => o.Type)
            .When(q.Text("name"), (o, v) => o.Name.Has(v))
            .When(q.Text("name_exact"), (o, v) => o.Name == v)
            .When(q.Text("keyword"), (o, v) => o.Name.Has(v) || o.Description.Has(v))
            .When(q.Text("query"), (o, v) => o.Name.Has(v) || o.Description.Has(v))
            .When(q.Bool("shared"), (o, v) => o.Shared == v)
            .When(q.Bool("billable"), (o, v) => o.Billable == v)
            .ToList();
    }
}
