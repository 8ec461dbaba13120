using System.Text.Json.Nodes;
using WaldurEmulator.Features.Events;
using WaldurEmulator.Infrastructure;
using WaldurEmulator.State;

namespace WaldurEmulator.Features.Orders;

/// <summary>An order as a customer places it (through /emulator/orders, or a provider's terminate).</summary>
internal sealed record OrderRequest(
    string OfferingUuid, string? PlanUuid, string ProjectUuid, string Type, string? ResourceUuid,
    JsonObject? Attributes, Dictionary<string, long>? Limits, string? RequestComment);

internal sealed partial class OrderWorkflow
{
    /// <summary>Creates the order in pending-provider; a Create order also creates its resource in Creating.</summary>
    public Order Place(OrderRequest request, Actor actor)
    {
        lock (store.Sync)
        {
            var offering = store.Offerings.Find(request.OfferingUuid) ?? throw ApiException.Field("offering", "Invalid hyperlink - Object does not exist.");
            var project = store.Projects.Find(request.ProjectUuid) ?? throw ApiException.Field("project", "Invalid hyperlink - Object does not exist.");
            var plan = request.PlanUuid is null ? null
                : store.Plans.Find(request.PlanUuid) is { } p && p.OfferingUuid == offering.Uuid && !p.Archived ? p
                : throw ApiException.Field("plan", "This plan is not available for selected offering.");
            var resource = request.Type switch
            {
                OrderTypes.Create => NewResource(request, offering, project, plan),
                OrderTypes.Update => ExistingResource(request, offering, ResourceStates.Updating),
                OrderTypes.Terminate => ExistingResource(request, offering, ResourceStates.Terminating),
                _ => throw ApiException.Field("type", $"\"{request.Type}\" is not a valid choice."),
            };
            var order = store.Orders.Add(new Order
            {
                Uuid = Hex.NewUuid(), Type = request.Type, OfferingUuid = offering.Uuid,
                PlanUuid = plan?.Uuid ?? resource.PlanUuid, OldPlanUuid = resource.PlanUuid, ProjectUuid = project.Uuid,
                ResourceUuid = resource.Uuid, Attributes = request.Attributes ?? [], Limits = request.Limits ?? [],
                CreatedByUuid = actor.User.Uuid, Created = store.Now, Modified = store.Now,
                RequestComment = request.RequestComment,
            });
            OrderEvent(order, "marketplace_order_created", "Marketplace order has been created.", actor);
            if (order.Type == OrderTypes.Update)
                ResourceEvent(resource, "marketplace_resource_update_requested", "Resource {0} update has been requested.", actor);
            if (order.Type == OrderTypes.Terminate)
                ResourceEvent(resource, "marketplace_resource_terminate_requested", "Resource {0} deletion has been requested.", actor);
            return order;
        }
    }

    private Resource NewResource(OrderRequest request, Offering offering, Project project, Plan? plan)
    {
        if (offering.State != OfferingStates.Active)
            throw ApiException.Field("offering", "Offering is not available for ordering.");
        if (plan is null) throw ApiException.Field("plan", "This field is required.");
        var name = request.Attributes?["name"]?.GetValue<string>() ?? $"{offering.Name} resource";
        var resource = store.Resources.Add(new Resource
        {
            Uuid = Hex.NewUuid(), Name = name, Slug = EmulatorStore.Slug(name, store.Resources.All.Select(r => r.Slug)),
            Description = request.Attributes?["description"]?.GetValue<string>() ?? "",
            OfferingUuid = offering.Uuid, PlanUuid = plan.Uuid, ProjectUuid = project.Uuid,
            Attributes = (JsonObject)(request.Attributes?.DeepClone() ?? new JsonObject()),
            Limits = new(request.Limits ?? []), Created = store.Now, Modified = store.Now,
        });
        resource.PlanPeriods.Add(new PlanPeriod(Hex.NewUuid(), plan.Uuid, store.Now));
        return resource;
    }

    private Resource ExistingResource(OrderRequest request, Offering offering, string nextState)
    {
        var resource = store.Resources.Find(request.ResourceUuid)
            ?? throw ApiException.Field("resource", "Invalid hyperlink - Object does not exist.");
        if (resource.OfferingUuid != offering.Uuid)
            throw ApiException.Field("resource", "Resource does not belong to the offering.");
        var allowed = nextState == ResourceStates.Terminating
            ? new[] { ResourceStates.Ok, ResourceStates.Erred } : [ResourceStates.Ok];
        if (!allowed.Contains(resource.State)) throw ApiException.WrongState(allowed);
        resource.State = nextState;
        resource.Modified = store.Now;
        return resource;
    }
}
