using AgentRegistry.Chat;
using AgentRegistry.Widget;
using AgentRegistry.Access;
using AgentRegistry.Infrastructure;
using AgentRegistry.Knowledge;
using AgentRegistry.Metering;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Portal.Accesses;

/// <summary>
/// The access's home and the target of Waldur's <c>portal_url</c>: state, plan, the first key waiting to be revealed
/// (once), and a way into everything else.
/// </summary>
public sealed class HomeModel(RegistryDb db, ApiKeyService keys, UsageReader usage) : PortalPage
{
    public List<ApiKeyView> Keys { get; private set; } = [];
    public ApiKeyView? Waiting => Keys.FirstOrDefault(k => k.CanReveal && k.Status == "active");
    public NewApiKey? Revealed { get; private set; }
    public string? Error { get; private set; }
    public Dictionary<DocumentStatus, int> Documents { get; private set; } = [];
    public int Widgets { get; private set; }
    public int TestQuestions { get; private set; }
    public int FailingQuestions { get; private set; }
    public int Conversations { get; private set; }
    public List<Meter> Meters { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostRevealAsync(Guid keyId, CancellationToken ct)
    {
        try
        {
            if ((Revealed = await keys.RevealAsync(keyId, Access.Id, ct)) is null) return NotFoundPage();
            Response.Headers.CacheControl = "no-store";
        }
        catch (ConflictException e)
        {
            Error = e.Message;
            Response.StatusCode = StatusCodes.Status409Conflict;
        }
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Keys = await keys.ListAsync(Access.Id, ct) ?? [];
        Documents = await db.TrainingDocuments.Where(d => d.AccessId == Access.Id).GroupBy(d => d.Status)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        Widgets = await db.Widgets.CountAsync(w => w.AccessId == Access.Id, ct);
        TestQuestions = await db.TestQuestions.CountAsync(q => q.AccessId == Access.Id, ct);
        FailingQuestions = await db.TestQuestions.CountAsync(q => q.AccessId == Access.Id && q.LastPassed == false, ct);
        Conversations = await db.Conversations.CountAsync(c => c.AccessId == Access.Id, ct);
        var components = await db.Accesses.AsNoTracking().Where(a => a.Id == Access.Id).Select(a => a.Plan!.Components).FirstAsync(ct);
        if (await usage.ForAccessAsync(Access.Id, null, null, null, ct) is { } report) Meters = Meter.Of(components, report);
    }
}
