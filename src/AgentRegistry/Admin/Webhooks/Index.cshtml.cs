using AgentRegistry.Infrastructure;
using AgentRegistry.Waldur;
using Microsoft.AspNetCore.Mvc;

namespace AgentRegistry.Admin.Webhooks;

public sealed class IndexModel(RegistryDb db) : AdminListPage<WebhookEvent>
{
    [BindProperty(SupportsGet = true)] public WebhookEventStatus? Status { get; set; }
    [BindProperty(SupportsGet = true)] public string? Endpoint { get; set; }

    public override string Title => "Webhook events";

    protected override IQueryable<WebhookEvent> Query(string? term) => db.WebhookEvents
        .Where(w => term == null || w.EventType.ToLower().Contains(term) || w.DedupeKey.ToLower().Contains(term)
            || (w.LastError != null && w.LastError.ToLower().Contains(term)))
        .Where(w => Status == null || w.Status == Status)
        .Where(w => Endpoint == null || w.Endpoint == Endpoint)
        .OrderByDescending(w => w.ReceivedAt).ThenByDescending(w => w.Id);

    protected override IEnumerable<Column<WebhookEvent>> Columns() =>
    [
        new("Id", w => w.Id, w => $"/admin/webhooks/details/{w.Id}"),
        new("Received", w => w.ReceivedAt),
        new("Endpoint", w => w.Endpoint),
        new("Event type", w => w.EventType),
        new("Status", w => w.Status),
        new("Attempts", w => w.Attempts),
        new("Last error", w => w.LastError is { Length: > 120 } e ? e[..120] + "…" : w.LastError),
    ];

    protected override Task<IReadOnlyList<Filter>> FiltersAsync(CancellationToken ct) => Task.FromResult<IReadOnlyList<Filter>>(
    [
        new("status", "Status", AdminFormat.Options<WebhookEventStatus>(), Status?.ToString()),
        new("endpoint", "Endpoint", new[] { "order", "customer", "project" }.Select(e => new FilterOption(e, e)).ToList(), Endpoint),
    ]);
}
