namespace AgentRegistry.Admin;

/// <summary>Every admin list, grouped as in the navigation and on the dashboard.</summary>
public static class AdminNav
{
    public sealed record Link(string Text, string Href);
    public sealed record Group(string Title, IReadOnlyList<Link> Links);

    public static readonly IReadOnlyList<Group> Groups =
    [
        new("Catalog", [new("Categories", "/admin/categories"), new("Agents", "/admin/agents"), new("Plans", "/admin/plans")]),
        new("Customers", [new("Tenants", "/admin/tenants"), new("Projects", "/admin/projects"), new("Accounts", "/admin/accounts"), new("Access tokens", "/admin/tokens")]),
        new("Subscriptions", [new("Accesses", "/admin/accesses"), new("API keys", "/admin/apikeys"), new("Configurations", "/admin/configurations"),
            new("Widgets", "/admin/widgets"), new("Training documents", "/admin/documents"), new("Conversations", "/admin/conversations")]),
        new("Metering", [new("Usage records", "/admin/usage"), new("Daily usage", "/admin/dailyusage"), new("Quota snapshots", "/admin/quotas"),
            new("Waldur usage reports", "/admin/usagereports"), new("Reconciliation", "/admin/reconciliation")]),
        new("Operations", [new("Waldur orders", "/admin/orders"), new("Webhook events", "/admin/webhooks"), new("Audit log", "/admin/audit")]),
    ];
}

public static class AdminLinks
{
    /// <summary>The admin page of an audited entity, by the type name the audit log records.</summary>
    public static string? Entity(string type, Guid id) => type switch
    {
        "AgentCategory" => $"/admin/categories/details/{id}",
        "Agent" => $"/admin/agents/details/{id}",
        "AgentPlan" => $"/admin/plans/details/{id}",
        "Tenant" => $"/admin/tenants/details/{id}",
        "TenantProject" => $"/admin/projects/details/{id}",
        "AgentAccess" => $"/admin/accesses/details/{id}",
        "ApiKey" => $"/admin/apikeys/details/{id}",
        "CustomerConfiguration" => $"/admin/configurations/details/{id}",
        "LocalAccount" => $"/admin/accounts/details/{id}",
        "ChatWidget" => Widget(id),
        "TrainingDocument" => Document(id),
        _ => null,
    };

    public static string Category(Guid id) => $"/admin/categories/details/{id}";
    public static string Agent(Guid id) => $"/admin/agents/details/{id}";
    public static string Plan(Guid id) => $"/admin/plans/details/{id}";
    public static string Tenant(Guid id) => $"/admin/tenants/details/{id}";
    public static string Project(Guid id) => $"/admin/projects/details/{id}";
    public static string Access(Guid id) => $"/admin/accesses/details/{id}";
    public static string ApiKey(Guid id) => $"/admin/apikeys/details/{id}";
    public static string Account(Guid id) => $"/admin/accounts/details/{id}";
    public static string Widget(Guid id) => $"/admin/widgets/details/{id}";
    public static string Document(Guid id) => $"/admin/documents/details/{id}";
    public static string Conversation(Guid id) => $"/admin/conversations/details/{id}";
    public static string UsageReport(long id) => $"/admin/usagereports/details/{id}";
    public static string Webhook(long id) => $"/admin/webhooks/details/{id}";
    /// <summary>The customer's portal page of an access, as an operator opens it.</summary>
    public static string Portal(Guid accessId) => $"/portal/accesses/{accessId}";
}
