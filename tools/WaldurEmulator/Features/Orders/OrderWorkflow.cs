using WaldurEmulator.Features.Events;
using WaldurEmulator.Infrastructure;
using WaldurEmulator.State;

namespace WaldurEmulator.Features.Orders;

/// <summary>
/// Order state machine. approve_by_provider: pending-provider → executing; a Marketplace.Basic order then
/// completes at once, any other type (e.g. Marketplace.Slurm, a site agent) waits for set_state_done.
/// Wrong source states answer 409, like Waldur's StateValidator.
/// </summary>
internal sealed partial class OrderWorkflow(EmulatorStore store, EventPublisher events)
{
    public const string BasicOffering = "Marketplace.Basic";

    public void Approve(Order order, Actor actor)
    {
        Require(order, OrderStates.PendingProvider);
        order.ProviderReviewedByUuid = actor.User.Uuid;
        order.ProviderReviewedAt = store.Now;
        Move(order, OrderStates.Executing);
        OrderEvent(order, "marketplace_order_approved", "Marketplace order has been approved.", actor);
        if (store.Offerings.Get(order.OfferingUuid).Type == BasicOffering) Complete(order, actor);
    }

    public void Reject(Order order, string comment, Actor actor)
    {
        Require(order, OrderStates.PendingProvider);
        order.ProviderRejectionComment = comment;
        order.ProviderReviewedByUuid = actor.User.Uuid;
        order.ProviderReviewedAt = store.Now;
        Move(order, OrderStates.Rejected);
        var resource = store.Resources.Get(order.ResourceUuid);
        SetResource(resource, order.Type == OrderTypes.Create ? ResourceStates.Terminated : ResourceStates.Ok);
        OrderEvent(order, "marketplace_order_rejected", "Marketplace order has been rejected.", actor);
        var kind = Kind(order);
        ResourceEvent(resource, $"marketplace_resource_{kind}_canceled", $"Resource {{0}} {kind} has been canceled.", actor);
    }

    public void SetExecuting(Order order, Actor actor)
    {
        Require(order, OrderStates.PendingConsumer, OrderStates.Erred);
        Move(order, OrderStates.Executing);
        SetResource(store.Resources.Get(order.ResourceUuid), order.Type switch
        {
            OrderTypes.Create => ResourceStates.Creating,
            OrderTypes.Update => ResourceStates.Updating,
            _ => ResourceStates.Terminating,
        });
    }

    /// <summary>set_state_done, only from executing.</summary>
    public void Complete(Order order, Actor actor)
    {
        Require(order, OrderStates.Executing);
        order.CompletedAt = store.Now;
        Move(order, OrderStates.Done);
        var resource = store.Resources.Get(order.ResourceUuid);
        if (order.Type == OrderTypes.Create && resource.BillingStart is null)
        {
            // Waldur registers invoice items when the resource turns OK after Creating.
            resource.BillingStart = store.Now;
            resource.LimitPeriods.Add(new LimitPeriod(store.Now, new Dictionary<string, long>(resource.Limits)));
        }
        if (order.Type == OrderTypes.Update) ChangePlan(resource, order);
        if (order.Type == OrderTypes.Terminate && resource.PlanPeriods.LastOrDefault() is { } period)
        {
            period.End = store.Now;
            period.Terminated = true;
        }
        SetResource(resource, order.Type == OrderTypes.Terminate ? ResourceStates.Terminated : ResourceStates.Ok);
        OrderEvent(order, "marketplace_order_completed", "Marketplace order has been completed.", actor);
        var (type, message) = order.Type switch
        {
            OrderTypes.Create => ("create_succeeded", "Resource {0} has been created."),
            OrderTypes.Update => ("update_succeeded", "Resource {0} has been updated successfully."),
            _ => ("terminate_succeeded", "Resource {0} has been deleted."),
        };
        ResourceEvent(resource, "marketplace_resource_" + type, message, actor);
    }

    public void Fail(Order order, string errorMessage, string errorTraceback, Actor actor)
    {
        Require(order, OrderStates.Open);
        order.ErrorMessage = errorMessage;
        order.ErrorTraceback = errorTraceback;
        Move(order, OrderStates.Erred);
        var resource = store.Resources.Get(order.ResourceUuid);
        SetResource(resource, order.Type switch
        {
            // A resource that never got a backend id was never provisioned: Waldur terminates it.
            OrderTypes.Create => resource.BackendId.Length > 0 ? ResourceStates.Erred : ResourceStates.Terminated,
            OrderTypes.Update => ResourceStates.Erred,
            _ => ResourceStates.Ok,
        });
        OrderEvent(order, "marketplace_order_failed", "Marketplace order has been marked as failed.", actor);
        var kind = Kind(order);
        ResourceEvent(resource, $"marketplace_resource_{kind}_failed", $"Resource {{0}} {kind} has failed.", actor);
    }

    private void ChangePlan(Resource resource, Order order)
    {
        if (order.Limits.Count > 0) resource.ChangeLimits(new(order.Limits), store.Now);
        if (order.PlanUuid is null || order.PlanUuid == resource.PlanUuid) return;
        if (resource.PlanPeriods.LastOrDefault() is { } current) current.End = store.Now;
        resource.PlanUuid = order.PlanUuid;
        resource.PlanPeriods.Add(new PlanPeriod(Hex.NewUuid(), order.PlanUuid, store.Now));
    }

    private static string Kind(Order order) => order.Type switch
    {
        OrderTypes.Create => "create", OrderTypes.Update => "update", _ => "terminate",
    };

    private static void Require(Order order, params string[] states)
    {
        if (!states.Contains(order.State)) throw ApiException.WrongState(states);
    }

    private void Move(Order order, string state)
    {
        order.State = state;
        order.Modified = store.Now;
    }

    private void SetResource(Resource resource, string state)
    {
        resource.State = state;
        resource.Modified = store.Now;
    }

    private void OrderEvent(Order order, string type, string message, Actor actor) =>
        events.Publish(type, message, EventContext.Order(store, order), actor);

    private void ResourceEvent(Resource resource, string type, string messageFormat, Actor actor) =>
        events.Publish(type, string.Format(messageFormat, resource.Name), EventContext.Resource(store, resource), actor);
}
