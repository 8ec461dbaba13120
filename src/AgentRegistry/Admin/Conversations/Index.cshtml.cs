using AgentRegistry.Access;
using AgentRegistry.Chat;
using AgentRegistry.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace AgentRegistry.Admin.Conversations;

public sealed record ConversationRow(Conversation Conversation, string Tenant, string Access, int Messages);

/// <summary>Every tenant's conversations, newest first, by where they came from.</summary>
public sealed class IndexModel(RegistryDb db) : AdminListPage<ConversationRow>
{
    [BindProperty(SupportsGet = true)] public Guid? Tenant { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? Access { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? Widget { get; set; }
    [BindProperty(SupportsGet = true)] public string? Source { get; set; }

    public override string Title => "Conversations";

    protected override IQueryable<ConversationRow> Query(string? term) => db.Conversations
        .Join(db.Accesses, c => c.AccessId, a => a.Id, (c, a) => new { c, Access = a.Name, Tenant = a.Tenant!.Name })
        .Where(x => term == null || x.c.Title.ToLower().Contains(term))
        .Where(x => Tenant == null || x.c.TenantId == Tenant)
        .Where(x => Access == null || x.c.AccessId == Access)
        .Where(x => Widget == null || x.c.WidgetId == Widget)
        .Where(x => Source == null
            || (Source == ConversationSources.Widget && x.c.WidgetId != null)
            || (Source == ConversationSources.Api && x.c.ApiKeyId != null)
            || (Source == ConversationSources.Portal && x.c.WidgetId == null && x.c.ApiKeyId == null))
        .OrderByDescending(x => x.c.CreatedAt).ThenBy(x => x.c.Id)
        .Select(x => new ConversationRow(x.c, x.Tenant, x.Access, db.Set<Message>().Count(m => m.ConversationId == x.c.Id)));

    protected override IEnumerable<Column<ConversationRow>> Columns() =>
    [
        new("First question", r => r.Conversation.Title, r => AdminLinks.Conversation(r.Conversation.Id)),
        new("Tenant", r => r.Tenant, r => AdminLinks.Tenant(r.Conversation.TenantId)),
        new("Access", r => r.Access, r => AdminLinks.Access(r.Conversation.AccessId)),
        new("From", r => r.Conversation.WidgetId is not null ? "widget" : r.Conversation.ApiKeyId is not null ? "API key" : "portal try-it"),
        new("Messages", r => r.Messages),
        new("Started", r => r.Conversation.CreatedAt),
    ];

    protected override async Task<IReadOnlyList<Filter>> FiltersAsync(CancellationToken ct) =>
    [
        new("tenant", "Tenant", await AdminChoices.TenantsAsync(db, ct), Tenant?.ToString()),
        new("source", "From", [new(ConversationSources.Widget, "widget"), new(ConversationSources.Api, "API key"), new(ConversationSources.Portal, "portal try-it")], Source),
    ];
}
