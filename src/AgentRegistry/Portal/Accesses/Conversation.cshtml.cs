using AgentRegistry.Chat;
using Microsoft.AspNetCore.Mvc;

namespace AgentRegistry.Portal.Accesses;

/// <summary>One conversation's transcript, with the passages each answer cited.</summary>
public sealed class ConversationModel(ConversationReader conversations) : PortalPage
{
    public ConversationTranscript Transcript { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid conversationId, CancellationToken ct)
    {
        if (await conversations.GetAsync(Access.Id, conversationId, ct) is not { } transcript) return NotFoundPage();
        Transcript = transcript;
        return Page();
    }
}
