using System.Text.Json.Nodes;
using WaldurEmulator.Features.Hooks;
using WaldurEmulator.Infrastructure;
using WaldurEmulator.State;

namespace WaldurEmulator.Features.Events;

/// <summary>The user behind an API call, and where it came from.</summary>
internal sealed record Actor(User User, string? IpAddress);

/// <summary>Records an event and queues it, in order, for every active hook that matches it.</summary>
internal sealed class EventPublisher(EmulatorStore store, WebhookDispatcher dispatcher, WebhookSettings settings)
{
    public EventRecord Publish(string eventType, string message, JsonObject context, Actor? actor = null)
    {
        lock (store.Sync)
        {
            if (actor is not null) EventContext.WithActor(context, actor.User, actor.IpAddress);
            var record = store.Events.Add(new EventRecord
            {
                Uuid = Hex.NewUuid(), Created = store.Now, EventType = eventType, Message = message, Context = context,
            });
            if (settings.Enabled) Queue(record);
            return record;
        }
    }

    private void Queue(EventRecord record)
    {
        foreach (var hook in store.Hooks.All)
        {
            if (!hook.IsActive || !EventCatalog.Matches(hook, record.EventType)) continue;
            if (!EventCatalog.IsVisibleTo(store.Users.Find(hook.AuthorUuid), record.EventType)) continue;
            // The four fields WebHook.process sends today; the docs' "timestamp/type/levelname" example is stale.
            var payload = new JsonObject
            {
                ["created"] = Clock.Iso(record.Created),
                ["message"] = record.Message,
                ["context"] = record.Context.DeepClone(),
                ["event_type"] = record.EventType,
            };
            var delivery = new WebhookDelivery(hook.Uuid, hook.DestinationUrl, hook.ContentType, record.EventType, payload);
            dispatcher.Enqueue(delivery);
            if (settings.Duplicate) dispatcher.Enqueue(delivery);
        }
    }
}
