using AgentRegistry.Chat;
using AgentRegistry.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace AgentRegistry.Portal.Accesses;

/// <summary>Conversations from the widget, the API and the try-it chat, newest first, searchable.</summary>
public sealed class ConversationsModel(ConversationReader conversations) : PortalPage
{
    public const int PageSize = 25;

    [BindProperty(SupportsGet = true, Name = "q")] public string? Search { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;
    public Paged<ConversationSummary> List { get; private set; } = new([], 1, PageSize, 0);
    public int Pages => Math.Max(1, (List.Total + PageSize - 1) / PageSize);

    public async Task OnGetAsync(CancellationToken ct) =>
        List = await conversations.ListAsync(Access.Id, Search, new PageRequest(Math.Max(1, PageNumber), PageSize), ct) ?? List;

    public string PageHref(int page) => $"?p={page}" + (string.IsNullOrWhiteSpace(Search) ? "" : "&q=" + Uri.EscapeDataString(Search));

    public static string Source(ConversationSummary c) => c.Source switch
    {
        ConversationSources.Widget => $"widget {c.WidgetName ?? "(deleted)"}",
        ConversationSources.Api => $"API key {c.ApiKeyName ?? "(unknown)"}",
        _ => "try-it chat in the portal",
    };
}
