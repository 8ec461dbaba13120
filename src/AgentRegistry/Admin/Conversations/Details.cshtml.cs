using AgentRegistry.Chat;
using AgentRegistry.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Admin.Conversations;

/// <summary>A conversation's transcript as its customer reads it, with the passages cited.</summary>
public sealed class DetailsModel(RegistryDb db, ConversationReader conversations) : PageModel
{
    public ConversationTranscript Transcript { get; private set; } = null!;
    public List<Field> Fields { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        var row = await db.Conversations.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct);
        if (row is null || await conversations.GetAsync(row.AccessId, id, ct) is not { } transcript) return NotFound();
        Transcript = transcript;
        Fields = EntityFields.Of(row);
        return Page();
    }
}
