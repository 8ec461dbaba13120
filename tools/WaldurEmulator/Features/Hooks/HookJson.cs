using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using WaldurEmulator.Features.Events;
using WaldurEmulator.Infrastructure;
using WaldurEmulator.State;

namespace WaldurEmulator.Features.Hooks;

internal sealed record HookJson(
    string Url, string Uuid, bool IsActive, string AuthorUuid, IReadOnlyList<string> EventTypes,
    IReadOnlyList<string> EventGroups, string Created, string Modified, string HookType, string AuthorFullname,
    string AuthorUsername, string AuthorEmail, string DestinationUrl, string ContentType);

/// <summary>WebHook JSON, and WebHookRequest / PatchedWebHookRequest applied to the model.</summary>
internal static partial class HookJsonMapper
{
    public static JsonObject Hook(EmulatorStore store, Urls urls, WebHook h)
    {
        var author = store.Users.Get(h.AuthorUuid);
        return EmulatorJson.ToObject(new HookJson(urls.Hook(h.Uuid), h.Uuid, h.IsActive, author.Uuid, h.EventTypes,
            h.EventGroups, Clock.Iso(h.Created), Clock.Iso(h.Modified), "webhook", author.FullName, author.Username,
            author.Email, h.DestinationUrl, h.ContentType));
    }

    /// <summary>Unlike newer Waldur, loopback and private destinations are allowed: tests run receivers locally.</summary>
    public static void Apply(JsonBody body, WebHook hook, bool partial)
    {
        if (!partial || body.Has("destination_url"))
        {
            var url = body.RequiredString("destination_url");
            if (url.Length > 200) throw ApiException.Field("destination_url", "Ensure this field has no more than 200 characters.");
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                throw ApiException.Field("destination_url", "Enter a valid URL.");
            hook.DestinationUrl = url;
        }
        if (body.OptionalStringList("event_types") is { } types)
            hook.EventTypes = types.All(t => EventType().IsMatch(t)) ? types.Distinct().ToList()
                : throw ApiException.Field("event_types", "Not a valid event type.");
        if (body.OptionalStringList("event_groups") is { } groups)
            hook.EventGroups = groups.All(EventCatalog.AllGroups.Contains) ? groups.Distinct().ToList()
                : throw ApiException.Field("event_groups", "Not a valid event group.");
        if (hook.EventTypes.Count == 0 && hook.EventGroups.Count == 0)
            throw ApiException.NonField("Please specify list of event_types or event_groups.");
        hook.IsActive = body.OptionalBool("is_active") ?? hook.IsActive;
        if (body.OptionalString("content_type") is { } contentType)
            hook.ContentType = contentType is "json" or "form" ? contentType
                : throw ApiException.Field("content_type", $"\"{contentType}\" is not a valid choice.");
    }

    [GeneratedRegex("^[a-z0-9_]+$")]
    private static partial Regex EventType();
}
