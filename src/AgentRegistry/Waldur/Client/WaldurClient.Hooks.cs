using System.Globalization;

namespace AgentRegistry.Waldur.Client;

public sealed partial class WaldurClient
{
    private sealed record HookBody(string DestinationUrl, IReadOnlyList<string> EventTypes, IReadOnlyList<string> EventGroups,
        bool IsActive, string ContentType = "json")
    {
        public static HookBody From(WebHookRequest hook) =>
            new(hook.DestinationUrl.AbsoluteUri, hook.EventTypes, hook.EventGroups, hook.IsActive);
    }

    /// <summary>Hooks the token's user owns.</summary>
    public Task<IReadOnlyList<WaldurWebHook>> ListWebHooksAsync(CancellationToken ct = default) =>
        ListAsync<WaldurWebHook>("hooks-web/", WaldurQuery.Empty, ct);

    /// <summary>Creates a JSON web hook. Not retried (a lost response could create two hooks).</summary>
    public Task<WaldurWebHook> CreateWebHookAsync(WebHookRequest hook, CancellationToken ct = default) =>
        SendAsync<WaldurWebHook>(HttpMethod.Post, "hooks-web/", HookBody.From(hook), repeatable: false, ct);

    public Task<WaldurWebHook> CreateWebHookAsync(Uri destinationUrl, IEnumerable<string> eventTypes, IEnumerable<string> eventGroups,
        CancellationToken ct = default) =>
        CreateWebHookAsync(new WebHookRequest(destinationUrl, [.. eventTypes], [.. eventGroups]), ct);

    /// <summary>Replaces a hook's destination, event types, groups and active flag (PUT).</summary>
    public Task<WaldurWebHook> UpdateWebHookAsync(Guid hookUuid, WebHookRequest hook, CancellationToken ct = default) =>
        SendAsync<WaldurWebHook>(HttpMethod.Put, $"hooks-web/{Hex(hookUuid)}/", HookBody.From(hook), repeatable: true, ct);

    public Task<WaldurWebHook> UpdateWebHookAsync(Guid hookUuid, Uri destinationUrl, IEnumerable<string> eventTypes,
        IEnumerable<string> eventGroups, bool isActive = true, CancellationToken ct = default) =>
        UpdateWebHookAsync(hookUuid, new WebHookRequest(destinationUrl, [.. eventTypes], [.. eventGroups], isActive), ct);

    public Task DeleteWebHookAsync(Guid hookUuid, CancellationToken ct = default) =>
        SendAndForgetAsync(HttpMethod.Delete, $"hooks-web/{Hex(hookUuid)}/", null, repeatable: true, ct);

    /// <summary>Events of the given types created at or after <paramref name="createdFrom"/> (newest first), all pages.</summary>
    public Task<IReadOnlyList<WaldurEvent>> ListEventsAsync(IEnumerable<string> eventTypes, DateTimeOffset createdFrom, CancellationToken ct = default) =>
        ListAsync<WaldurEvent>("events/", WaldurQuery.Empty
            .With("event_type", eventTypes)
            .With("created_from", createdFrom.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)), ct);
}
