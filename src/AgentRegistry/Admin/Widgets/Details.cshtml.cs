using AgentRegistry.Infrastructure;
using AgentRegistry.Widget;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Admin.Widgets;

public sealed class DetailsModel(RegistryDb db, WidgetLoader loader) : PageModel
{
    public ChatWidget Widget { get; private set; } = null!;
    public List<Field> Fields { get; private set; } = [];
    public List<AuditLog> History { get; private set; } = [];
    public string Snippet => loader.Snippet(Request, Widget.Key);

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await db.Widgets.AsNoTracking().FirstOrDefaultAsync(w => w.Id == id, ct) is not { } w) return NotFound();
        Widget = w;
        // The identity secret is never shown back, here as in the API.
        Fields = EntityFields.Of(w).Where(f => f.Label != "Identity secret").ToList();
        Fields.Add(new Field("Identity verification", w.IdentitySecret is not null));
        Fields.Add(new Field("Allowed origins", string.Join("\n", w.AllowedOrigins), Block: true));
        Fields.Add(new Field("Suggested questions", string.Join("\n", w.SuggestedQuestions), Block: true));
        Fields.Add(new Field("Conversations", "view", $"/admin/conversations?widget={id}"));
        History = await AuditHistory.ForAsync(db, nameof(ChatWidget), id, ct);
        return Page();
    }
}
