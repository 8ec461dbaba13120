using AgentRegistry.Waldur.Client;

namespace AgentRegistry.Waldur.Provisioning;

/// <summary>Order and order-related resource events: the order is re-fetched and acted on.</summary>
public sealed class OrderEvents(OrderProcessor orders) : IWaldurEventHandler
{
    public bool Handles(string eventType) => eventType.StartsWith("marketplace_order_", StringComparison.Ordinal)
        || eventType.StartsWith("marketplace_resource_", StringComparison.Ordinal);

    public async Task<EventOutcome> HandleAsync(ReceivedEvent e, CancellationToken ct) =>
        e.Uuid("order_uuid") is { } order ? await orders.ProcessAsync(order, ct) : EventOutcome.Ignored;
}

/// <summary>Customer events keep the tenant in step with the Waldur customer.</summary>
public sealed class CustomerEvents(TenantMirror mirror) : IWaldurEventHandler
{
    public bool Handles(string eventType) => eventType.StartsWith("customer_", StringComparison.Ordinal);

    public async Task<EventOutcome> HandleAsync(ReceivedEvent e, CancellationToken ct)
    {
        if (e.Uuid("customer_uuid") is not { } uuid) return EventOutcome.Ignored;
        if (e.EventType == "customer_deletion_succeeded")
            return await mirror.CustomerDeletedAsync(uuid, ct) ? EventOutcome.Processed : EventOutcome.Ignored;
        if (e.EventType is not ("customer_creation_succeeded" or "customer_update_succeeded")) return EventOutcome.Ignored;
        try { await mirror.CustomerAsync(uuid, refresh: true, ct); }
        catch (WaldurApiException x) when (x.IsNotFound) { return EventOutcome.Ignored; }
        return EventOutcome.Processed;
    }
}

/// <summary>Project events keep the tenant's project in step with the Waldur project.</summary>
public sealed class ProjectEvents(TenantMirror mirror) : IWaldurEventHandler
{
    public bool Handles(string eventType) => eventType.StartsWith("project_", StringComparison.Ordinal);

    public async Task<EventOutcome> HandleAsync(ReceivedEvent e, CancellationToken ct)
    {
        if (e.Uuid("project_uuid") is not { } uuid) return EventOutcome.Ignored;
        if (e.EventType == "project_deletion_succeeded")
            return await mirror.ProjectDeletedAsync(uuid, ct) ? EventOutcome.Processed : EventOutcome.Ignored;
        if (e.EventType is not ("project_creation_succeeded" or "project_update_succeeded")) return EventOutcome.Ignored;
        try { await mirror.ProjectAsync(uuid, refresh: true, ct); }
        catch (WaldurApiException x) when (x.IsNotFound) { return EventOutcome.Ignored; }
        return EventOutcome.Processed;
    }
}
