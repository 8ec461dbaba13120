using System.Text.Json.Nodes;
using WaldurEmulator.Features.Events;
using WaldurEmulator.Features.Orders;
using WaldurEmulator.Infrastructure;
using WaldurEmulator.State;

namespace WaldurEmulator.Features.Resources;

/// <summary>Provider actions on a marketplace resource.</summary>
internal static class ResourceActions
{
    public static void MapResourceActions(this IEndpointRouteBuilder api, string route)
    {
        Action(api, route, "set_backend_id", (ctx, r, body) =>
        {
            r.BackendId = body.OptionalString("backend_id") ?? "";
            return Status("Resource backend_id has been changed.");
        });
        Action(api, route, "set_backend_metadata", (ctx, r, body) =>
        {
            r.BackendMetadata = body.OptionalObject("backend_metadata") ?? throw ApiException.Required("backend_metadata");
            return Status("Resource backend_metadata has been changed.");
        });
        Action(api, route, "set_limits", (ctx, r, body) =>
        {
            var limits = body.OptionalObject("limits") ?? throw ApiException.Required("limits");
            var parsed = new JsonBody(limits);
            r.ChangeLimits(limits.ToDictionary(l => l.Key, l => parsed.OptionalLong(l.Key) ?? 0), ctx.Store.Now);
            ctx.Events.Publish("marketplace_resource_update_limits_succeeded", $"Limits of resource {r.Name} have been updated.",
                EventContext.Resource(ctx.Store, r), ctx.Http.Actor());
            return Status("Resource limits have been changed.");
        });
        Action(api, route, "set_as_ok", (ctx, r, _) =>
        {
            RequireNot(r, ResourceStates.Terminated);
            r.State = ResourceStates.Ok;
            r.ErrorMessage = r.ErrorTraceback = "";
            return Results.Ok();
        });
        Action(api, route, "set_as_erred", (ctx, r, body) =>
        {
            RequireNot(r, ResourceStates.Terminated);
            r.State = ResourceStates.Erred;
            r.ErrorMessage = body.OptionalString("error_message") ?? "";
            r.ErrorTraceback = body.OptionalString("error_traceback") ?? "";
            return Results.Ok();
        });
        Action(api, route, "terminate", (ctx, r, body) =>
        {
            var actor = ctx.Http.Actor();
            var order = ctx.Workflow.Place(new OrderRequest(r.OfferingUuid, null, r.ProjectUuid, OrderTypes.Terminate,
                r.Uuid, body.OptionalObject("attributes"), null, null), actor);
            ctx.Workflow.Approve(order, actor);
            return Results.Json(new JsonObject { ["order_uuid"] = order.Uuid });
        });
    }

    private sealed record ActionContext(EmulatorStore Store, EventPublisher Events, OrderWorkflow Workflow, HttpContext Http);

    private static IResult Status(string status) => Results.Json(new JsonObject { ["status"] = status });

    private static void RequireNot(Resource r, string state)
    {
        if (r.State == state)
            throw ApiException.WrongState(ResourceStates.Creating, ResourceStates.Ok, ResourceStates.Erred,
                ResourceStates.Updating, ResourceStates.Terminating);
    }

    private static void Action(IEndpointRouteBuilder api, string route, string name, Func<ActionContext, Resource, JsonBody, IResult> act) =>
        api.MapPost(route + "{uuid}/" + name + "/", async (string uuid, HttpContext http, EmulatorStore store,
            EventPublisher events, OrderWorkflow workflow) =>
        {
            var body = await JsonBody.ReadAsync(http.Request);
            lock (store.Sync)
            {
                var resource = store.Resources.Get(uuid);
                var result = act(new ActionContext(store, events, workflow, http), resource, body);
                resource.Modified = store.Now;
                return result;
            }
        });
}
