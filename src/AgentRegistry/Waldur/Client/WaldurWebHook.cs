using System.Text.Json;

namespace AgentRegistry.Waldur.Client;

/// <summary>A Waldur web hook (hooks-web): Waldur POSTs matching events to <see cref="DestinationUrl"/>.</summary>
public sealed record WaldurWebHook(
    Guid Uuid,
    string DestinationUrl,
    bool IsActive,
    IReadOnlyList<string> EventTypes,
    IReadOnlyList<string> EventGroups,
    string? ContentType,
    string? AuthorUsername,
    DateTimeOffset? Created);

/// <summary>What a hook should deliver; Waldur needs event types, event groups or both.</summary>
public sealed record WebHookRequest(Uri DestinationUrl, IReadOnlyList<string> EventTypes, IReadOnlyList<string> EventGroups, bool IsActive = true);

/// <summary>A logged Waldur event; <see cref="Context"/> holds flattened <c>&lt;entity&gt;_&lt;field&gt;</c> keys.</summary>
public sealed record WaldurEvent(Guid Uuid, string EventType, string? Message, DateTimeOffset Created,
    IReadOnlyDictionary<string, JsonElement>? Context);
