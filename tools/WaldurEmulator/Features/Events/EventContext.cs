using System.Text.Json.Nodes;
using WaldurEmulator.Infrastructure;
using WaldurEmulator.State;

namespace WaldurEmulator.Features.Events;

/// <summary>
/// Event context as Waldur's LoggableMixin flattens it: "&lt;entity&gt;_&lt;field&gt;", UUIDs as hex.
/// In this context resource_uuid is the MARKETPLACE resource (unlike the order API object).
/// </summary>
internal static class EventContext
{
    public static JsonObject Customer(Customer c) => new()
    {
        ["customer_uuid"] = c.Uuid,
        ["customer_name"] = c.Name,
        ["customer_abbreviation"] = c.Abbreviation,
        ["customer_contact_details"] = c.ContactDetails,
    };

    public static JsonObject Project(EmulatorStore store, Project p)
    {
        var context = new JsonObject
        {
            ["project_uuid"] = p.Uuid,
            ["project_name"] = p.Name,
            ["project_end_date"] = Clock.Date(p.EndDate),
        };
        return Merge(context, Customer(store.Customers.Get(p.CustomerUuid)));
    }

    public static JsonObject Resource(EmulatorStore store, Resource r)
    {
        var offering = store.Offerings.Get(r.OfferingUuid);
        var plan = store.Plans.Find(r.PlanUuid);
        var context = new JsonObject
        {
            ["resource_uuid"] = r.Uuid,
            ["resource_name"] = r.Name,
            ["resource_backend_id"] = r.BackendId,
            ["resource_get_state_display"] = r.State,
            ["resource_backend_metadata"] = r.BackendMetadata.DeepClone(),
            ["offering_uuid"] = offering.Uuid,
            ["offering_name"] = offering.Name,
            ["offering_type"] = offering.Type,
            ["plan_uuid"] = plan?.Uuid,
            ["plan_name"] = plan?.Name,
        };
        return Merge(context, Project(store, store.Projects.Get(r.ProjectUuid)));
    }

    public static JsonObject Order(EmulatorStore store, Order o)
    {
        var createdBy = store.Users.Get(o.CreatedByUuid);
        var context = new JsonObject
        {
            ["order_uuid"] = o.Uuid,
            ["order_created"] = Clock.Iso(o.Created),
            ["order_modified"] = Clock.Iso(o.Modified),
            ["order_cost"] = Decimals.Price(0),
            ["order_limits"] = new JsonObject(o.Limits.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value))),
            ["order_attributes"] = o.Attributes.DeepClone(),
            ["order_get_state_display"] = o.State,
            ["order_get_type_display"] = o.Type,
            ["created_by_uuid"] = createdBy.Uuid,
            ["created_by_username"] = createdBy.Username,
            ["created_by_full_name"] = createdBy.FullName,
        };
        var resource = Resource(store, store.Resources.Get(o.ResourceUuid));
        if (store.Plans.Find(o.PlanUuid) is { } plan)
        {
            resource["plan_uuid"] = plan.Uuid;
            resource["plan_name"] = plan.Name;
        }
        return Merge(context, resource);
    }

    /// <summary>Waldur adds the acting user and their address when the event comes from an API call.</summary>
    public static JsonObject WithActor(JsonObject context, User user, string? ipAddress)
    {
        context["user_uuid"] = user.Uuid;
        context["user_username"] = user.Username;
        context["user_full_name"] = user.FullName;
        context["ip_address"] = ipAddress;
        return context;
    }

    private static JsonObject Merge(JsonObject target, JsonObject source)
    {
        foreach (var (key, value) in source)
            if (!target.ContainsKey(key)) target[key] = value?.DeepClone();
        return target;
    }
}
