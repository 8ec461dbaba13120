using WaldurEmulator.Features.Offerings;
using WaldurEmulator.Infrastructure;
using WaldurEmulator.State;

namespace WaldurEmulator.Features.Plans;

/// <summary>/api/marketplace-plans/: CRUD, update_prices, update_quotas, archive.</summary>
internal static class PlanApi
{
    private const string Route = "/marketplace-plans/";

    public static void MapPlans(this IEndpointRouteBuilder api)
    {
        api.MapMethods(Route, ["GET", "HEAD"], (HttpContext http, EmulatorStore store) =>
        {
            var q = ListQuery.From(http);
            lock (store.Sync)
            {
                var items = store.Plans.All
                    .When(q.Uuid("offering_uuid"), (p, v) => p.OfferingUuid == v)
                    .When(q.Text("offering"), (p, v) => Urls.UuidFrom("offering", v, "marketplace-provider-offerings", "marketplace-public-offerings") == p.OfferingUuid)
                    .ToList();
                return Paging.List(http, items, p => PlanJsonMapper.Details(store, Urls.From(http.Request), p));
            }
        });
        api.MapGet(Route + "{uuid}/", (string uuid, HttpContext http, EmulatorStore store) =>
        {
            lock (store.Sync) return Paging.One(http, PlanJsonMapper.Details(store, Urls.From(http.Request), store.Plans.Get(uuid)));
        });
        api.MapPost(Route, async (HttpContext http, EmulatorStore store) =>
        {
            var body = await JsonBody.ReadAsync(http.Request);
            var offeringUuid = Urls.UuidFrom("offering", body.OptionalString("offering"), "marketplace-provider-offerings", "marketplace-public-offerings");
            lock (store.Sync)
            {
                var offering = store.Offerings.Find(offeringUuid) ?? throw ApiException.Field("offering", "Invalid hyperlink - Object does not exist.");
                var plan = new Plan { Uuid = Hex.NewUuid(), OfferingUuid = offering.Uuid, Name = "", Created = store.Now };
                OfferingRequests.ApplyPlan(body, plan, offering, partial: false);
                store.Plans.Add(plan);
                return Results.Json(PlanJsonMapper.Details(store, Urls.From(http.Request), plan), EmulatorJson.Options, statusCode: 201);
            }
        });
        api.MapMethods(Route + "{uuid}/", ["PUT", "PATCH"], async (string uuid, HttpContext http, EmulatorStore store) =>
        {
            var body = await JsonBody.ReadAsync(http.Request);
            lock (store.Sync)
            {
                var plan = store.Plans.Get(uuid);
                OfferingRequests.ApplyPlan(body, plan, store.Offerings.Get(plan.OfferingUuid), partial: http.Request.Method == "PATCH");
                return Paging.One(http, PlanJsonMapper.Details(store, Urls.From(http.Request), plan));
            }
        });
        api.MapDelete(Route + "{uuid}/", (string uuid, EmulatorStore store) =>
        {
            lock (store.Sync)
            {
                var plan = store.Plans.Get(uuid);
                if (store.Resources.All.Any(r => r.PlanUuid == plan.Uuid && r.State != ResourceStates.Terminated))
                    throw ApiException.NonField("Plan is used by resources and cannot be deleted.");
                store.Plans.Remove(plan);
                return Results.NoContent();
            }
        });

        Action(api, "update_prices", (store, plan, body) =>
        {
            var prices = body.OptionalObject("prices") ?? throw ApiException.Required("prices");
            foreach (var (type, price) in OfferingRequests.Prices(prices, store.Offerings.Get(plan.OfferingUuid), "prices"))
                plan.Prices[type] = price;
        });
        Action(api, "update_quotas", (store, plan, body) =>
        {
            if (!body.Has("quotas")) throw ApiException.Required("quotas");
            var quotas = new JsonBody(new System.Text.Json.Nodes.JsonObject { ["quotas"] = body.OptionalObject("quotas") });
            OfferingRequests.ApplyPlan(quotas, plan, store.Offerings.Get(plan.OfferingUuid), partial: true);
        });
        Action(api, "archive", (_, plan, _) =>
        {
            if (plan.Archived) throw ApiException.NonField("Plan is already archived.");
            plan.Archived = true;
        });
    }

    private static void Action(IEndpointRouteBuilder api, string name, Action<EmulatorStore, Plan, JsonBody> apply) =>
        api.MapPost(Route + "{uuid}/" + name + "/", async (string uuid, HttpContext http, EmulatorStore store) =>
        {
            var body = await JsonBody.ReadAsync(http.Request);
            lock (store.Sync)
            {
                apply(store, store.Plans.Get(uuid), body);
                return Results.Ok();
            }
        });
}
