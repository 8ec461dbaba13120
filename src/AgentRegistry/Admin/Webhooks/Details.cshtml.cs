using AgentRegistry.Infrastructure;
using AgentRegistry.Waldur;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Admin.Webhooks;

/// <summary>One stored webhook event; a failed or ignored one can be replayed (processed again, from a fresh read of Waldur).</summary>
public sealed class DetailsModel(RegistryDb db, WebhookInbox inbox) : PageModel
{
    public long Id { get; private set; }
    public WebhookEvent Event { get; private set; } = null!;
    public List<Field> Fields { get; private set; } = [];
    [BindProperty(SupportsGet = true)] public bool Replayed { get; set; }
    public string? Error { get; private set; }
    public bool CanReplay => Event.Status is WebhookEventStatus.Failed or WebhookEventStatus.Ignored;

    public Task<IActionResult> OnGetAsync(long id, CancellationToken ct) => ShowAsync(id, ct);

    public async Task<IActionResult> OnPostReplayAsync(long id, CancellationToken ct)
    {
        if (await inbox.ReplayAsync(id, ct)) return Redirect(AdminLinks.Webhook(id) + "?replayed=true");
        Error = "Only a failed or ignored event can be replayed; this one is pending or processed.";
        Response.StatusCode = StatusCodes.Status409Conflict;
        return await ShowAsync(id, ct);
    }

    private async Task<IActionResult> ShowAsync(long id, CancellationToken ct)
    {
        if (await db.WebhookEvents.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct) is not { } row) return NotFound();
        Id = id;
        Event = row;
        Fields = EntityFields.Of(row, "Payload", "LastError");
        return Page();
    }
}
