using System.Text.Json.Nodes;
using WaldurEmulator.Infrastructure;
using WaldurEmulator.State;

namespace WaldurEmulator.Features.Orders;

/// <summary>/api/marketplace-orders/: list, retrieve and the provider's actions.</summary>
internal static class OrderApi
{
    private const string Route = "/marketplace-orders/";

    public static void MapOrders(this IEndpointRouteBuilder api)
    {
        api.MapMethods(Route, ["GET", "HEAD"], (HttpContext http, EmulatorStore store) =>
        {
            var q = ListQuery.From(http);
            lock (store.Sync)
            {
                var items = store.Orders.All.Reverse()
                    .When(q.Uuid("offering_uuid"), (o, v) => o.OfferingUuid == v)
                    .When(q.Uuid("project_uuid"), (o, v) => o.ProjectUuid == v)
                    .When(q.Uuid("customer_uuid"), (o, v) => store.Projects.Get(o.ProjectUuid).CustomerUuid == v)
                    .When(q.Uuid("provider_uuid"), (o, v) => store.Offerings.Get(o.OfferingUuid).CustomerUuid == v)
                    .When(q.Uuid("category_uuid"), (o, v) => store.Offerings.Get(o.OfferingUuid).CategoryUuid == v)
                    .When(q.Uuid("resource_uuid"), (o, v) => o.ResourceUuid == v)
                    .WhenAny(q.All("offering_type"), o => store.Offerings.Get(o.OfferingUuid).Type)
                    .WhenAny(q.All("state"), o => o.State)
                    .WhenAny(q.All("type"), o => o.Type)
                    .ToList();
                return Paging.List(http, items, o => OrderJsonMapper.Order(store, Urls.From(http.Request), o));
            }
        });
        api.MapGet(Route + "{uuid}/", (string uuid, HttpContext http, EmulatorStore store) =>
        {
            lock (store.Sync) return Paging.One(http, OrderJsonMapper.Order(store, Urls.From(http.Request), store.Orders.Get(uuid)));
        });

        Action(api, "approve_by_provider", (workflow, order, _, http) =>
        {
            workflow.Approve(order, http.Actor());
            return Results.Json(new JsonObject { ["detail"] = "Order has been approved." });
        });
        Action(api, "reject_by_provider", (workflow, order, body, http) =>
        {
            workflow.Reject(order, body.OptionalString("provider_rejection_comment") ?? "", http.Actor());
            return Results.Ok();
        });
        Action(api, "set_state_executing", (workflow, order, _, http) =>
        {
            workflow.SetExecuting(order, http.Actor());
            return Results.Ok();
        });
        Action(api, "set_state_done", (workflow, order, _, http) =>
        {
            workflow.Complete(order, http.Actor());
            return Results.Ok();
        });
        Action(api, "set_state_erred", (workflow, order, body, http) =>
        {
            workflow.Fail(order, body.OptionalString("error_message") ?? "", body.OptionalString("error_traceback") ?? "", http.Actor());
            return Results.Ok();
        });
        Action(api, "set_backend_id", (_, order, body, _) =>
        {
            if (!body.Has("backend_id")) throw ApiException.Required("backend_id");
            order.BackendId = body.OptionalString("backend_id") ?? "";
            return Results.Json(new JsonObject { ["status"] = "Order backend_id has been changed." });
        });
    }

    private static void Action(IEndpointRouteBuilder api, string name, Func<OrderWorkflow, Order, JsonBody, HttpContext, IResult> act) =>
        api.MapPost(Route + "{uuid}/" + name + "/", async (string uuid, HttpContext http, EmulatorStore store, OrderWorkflow workflow) =>
        {
            var body = await JsonBody.ReadAsync(http.Request);
            lock (store.Sync) return act(workflow, store.Orders.Get(uuid), body, http);
        });
}
