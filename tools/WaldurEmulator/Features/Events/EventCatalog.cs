using WaldurEmulator.State;

namespace WaldurEmulator.Features.Events;

/// <summary>Waldur's event groups for the events the emulator emits, and who may see them.</summary>
internal static class EventCatalog
{
    public static readonly string[] AllGroups =
    [
        "access_subnets", "auth", "call", "chat", "credits", "customers", "invoices", "offering_accounting",
        "onboarding", "permissions", "projects", "proposal", "providers", "resources", "review", "ssh",
        "support", "users", "terms_of_service",
    ];

    private static readonly string[] ProviderResourceEvents =
    [
        "marketplace_resource_create_succeeded", "marketplace_resource_update_limits_succeeded",
        "marketplace_resource_terminate_requested", "marketplace_resource_update_failed",
        "marketplace_resource_terminate_failed", "marketplace_resource_terminate_succeeded",
        "marketplace_resource_create_canceled", "marketplace_resource_update_limits_failed",
        "marketplace_resource_update_requested", "marketplace_resource_create_requested",
        "marketplace_resource_create_failed",
    ];

    /// <summary>The groups an event type belongs to (from waldur-mastermind's loggers).</summary>
    public static IReadOnlyList<string> GroupsOf(string eventType)
    {
        var groups = new List<string>();
        if (eventType.StartsWith("customer_", StringComparison.Ordinal)) groups.Add("customers");
        if (eventType.StartsWith("project_", StringComparison.Ordinal)) groups.Add("projects");
        if (eventType.StartsWith("marketplace_order_", StringComparison.Ordinal)
            || eventType.StartsWith("marketplace_resource_", StringComparison.Ordinal)) groups.Add("resources");
        if (ProviderResourceEvents.Contains(eventType)) groups.Add("providers");
        return groups;
    }

    public static bool Matches(WebHook hook, string eventType) =>
        hook.EventTypes.Contains(eventType) || GroupsOf(eventType).Any(hook.EventGroups.Contains);

    /// <summary>
    /// Waldur delivers only events the hook owner may see. The emulator models the suspected gap:
    /// a user who is neither staff nor support does not see customer and project events.
    /// </summary>
    public static bool IsVisibleTo(User? user, string eventType) =>
        user is not null && (user.SeesAllEvents || !GroupsOf(eventType).Any(g => g is "customers" or "projects"));
}
