using AgentRegistry.Waldur.Client;
using Microsoft.Extensions.Options;

namespace AgentRegistry.Waldur;

/// <summary>One hook the registry wants in Waldur, and what must happen to reach it.</summary>
public sealed record HookChange(string Endpoint, Uri Destination, IReadOnlyList<string> EventTypes, string Action, Guid? Uuid)
{
    public const string Create = "create", Update = "update", Keep = "keep";
}

/// <summary>Registers the registry's three webhook endpoints in Waldur, idempotently: creates what is missing,
/// updates what differs, leaves the rest alone.</summary>
public sealed class WebhookConfigurator(WaldurClient waldur, IOptions<WebhookOptions> options)
{
    public static readonly IReadOnlyDictionary<string, string[]> EventTypes = new Dictionary<string, string[]>
    {
        ["order"] =
        [
            "marketplace_order_created", "marketplace_order_approved", "marketplace_order_rejected", "marketplace_order_completed",
            "marketplace_order_failed", "marketplace_order_terminated", "marketplace_order_unlinked",
            "marketplace_resource_create_requested", "marketplace_resource_create_succeeded", "marketplace_resource_create_failed",
            "marketplace_resource_create_canceled", "marketplace_resource_terminate_requested", "marketplace_resource_terminate_succeeded",
            "marketplace_resource_terminate_failed",
        ],
        ["customer"] = ["customer_creation_succeeded", "customer_update_succeeded", "customer_deletion_succeeded"],
        ["project"] = ["project_creation_succeeded", "project_update_succeeded", "project_deletion_succeeded"],
    };

    public async Task<IReadOnlyList<HookChange>> PlanAsync(Uri registry, CancellationToken ct)
    {
        var existing = await waldur.ListWebHooksAsync(ct);
        var changes = new List<HookChange>();
        foreach (var (endpoint, types) in EventTypes)
        {
            var destination = Destination(registry, endpoint);
            var path = destination.GetLeftPart(UriPartial.Path);
            var hook = existing.FirstOrDefault(h => Uri.TryCreate(h.DestinationUrl, UriKind.Absolute, out var u) && u.GetLeftPart(UriPartial.Path) == path);
            var action = hook is null ? HookChange.Create
                : hook.DestinationUrl == destination.ToString() && hook.IsActive && types.All(hook.EventTypes.Contains) ? HookChange.Keep
                : HookChange.Update;
            changes.Add(new HookChange(endpoint, destination, types, action, hook?.Uuid));
        }
        return changes;
    }

    public async Task ApplyAsync(IEnumerable<HookChange> changes, CancellationToken ct)
    {
        foreach (var change in changes)
        {
            var request = new WebHookRequest(change.Destination, change.EventTypes, []);
            if (change.Action == HookChange.Create) await waldur.CreateWebHookAsync(request, ct);
            else if (change.Action == HookChange.Update) await waldur.UpdateWebHookAsync(change.Uuid!.Value, request, ct);
        }
    }

    /// <summary>Waldur delivers only events the hook's owner may see; customer and project events may need staff or support.</summary>
    public async Task<string?> VisibilityWarningAsync(CancellationToken ct)
    {
        var user = await waldur.GetCurrentUserAsync(ct);
        return user.IsStaff || user.IsSupport ? null
            : $"The Waldur token belongs to '{user.Username}', who is neither staff nor support: Waldur may not deliver customer and project events to its hooks. The order poll still catches every order.";
    }

    private Uri Destination(Uri registry, string endpoint)
    {
        var url = new Uri(registry, $"/webhooks/waldur/{endpoint}/").ToString();
        return new Uri(options.Value.Token is { Length: > 0 } token ? $"{url}?token={Uri.EscapeDataString(token)}" : url);
    }
}
