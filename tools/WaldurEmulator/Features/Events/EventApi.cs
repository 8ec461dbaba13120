using System.Globalization;
using System.Text.Json.Nodes;
using WaldurEmulator.Infrastructure;
using WaldurEmulator.State;

namespace WaldurEmulator.Features.Events;

internal sealed record EventJson(string Uuid, string Created, string EventType, string Message, JsonObject Context);

/// <summary>/api/events/: the events the emulator emitted, newest first, as the caller may see them.</summary>
internal static class EventApi
{
    public static void MapEvents(this IEndpointRouteBuilder api)
    {
        api.MapMethods("/events/", ["GET", "HEAD"], (HttpContext http, EmulatorStore store) =>
        {
            var q = ListQuery.From(http);
            var from = Timestamp(q, "created_from");
            var to = Timestamp(q, "created_to");
            var user = http.CurrentUser();
            lock (store.Sync)
            {
                var items = store.Events.All.Reverse()
                    .Where(e => EventCatalog.IsVisibleTo(user, e.EventType))
                    .WhenAny(q.All("event_type"), e => e.EventType)
                    .When(q.All("feature") is { Count: > 0 } f ? f : null, (e, v) => EventCatalog.GroupsOf(e.EventType).Any(v.Contains))
                    .When(from, (e, v) => e.Created >= v)
                    .When(to, (e, v) => e.Created <= v)
                    .When(q.Uuid("customer_uuid"), (e, v) => e.Context["customer_uuid"]?.GetValue<string>() == v)
                    .When(q.Uuid("project_uuid"), (e, v) => e.Context["project_uuid"]?.GetValue<string>() == v)
                    .When(q.Text("message"), (e, v) => e.Message.Has(v))
                    .ToList();
                return Paging.List(http, items, e => EmulatorJson.ToObject(new EventJson(e.Uuid, Clock.Iso(e.Created),
                    e.EventType, e.Message, (JsonObject)e.Context.DeepClone())));
            }
        });
        api.MapGet("/events/event_groups/", () =>
        {
            var types = new[] { "customer_creation_succeeded", "project_creation_succeeded", "marketplace_order_created",
                "marketplace_order_approved", "marketplace_order_rejected", "marketplace_order_completed",
                "marketplace_order_failed", "marketplace_resource_create_succeeded", "marketplace_resource_terminate_requested",
                "marketplace_resource_terminate_succeeded", "marketplace_resource_update_requested",
                "marketplace_resource_update_succeeded", "marketplace_resource_update_limits_succeeded" };
            var groups = new JsonObject();
            foreach (var group in EventCatalog.AllGroups)
                groups[group] = new JsonArray([.. types.Where(t => EventCatalog.GroupsOf(t).Contains(group)).Select(t => (JsonNode)t)]);
            return Results.Json(groups);
        });
    }

    /// <summary>created_from / created_to are Unix timestamps (seconds, possibly fractional).</summary>
    private static DateTimeOffset? Timestamp(ListQuery q, string name) => q.Text(name) is { } text
        ? double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000))
            : throw ApiException.Field(name, "Enter a number.")
        : null;
}
