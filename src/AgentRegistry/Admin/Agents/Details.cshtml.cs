using AgentRegistry.Catalog;
using AgentRegistry.Infrastructure;
using AgentRegistry.Waldur.Client;
using AgentRegistry.Waldur.Publishing;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Admin.Agents;

public sealed class DetailsModel(RegistryDb db, OfferingPublisher publisher) : PageModel
{
    public Agent Agent { get; private set; } = null!;
    public List<Field> Fields { get; private set; } = [];
    public List<AuditLog> History { get; private set; } = [];
    public string? Message { get; private set; }
    public bool Failed { get; private set; }

    /// <summary>Creates or updates the agent's Waldur offering, as <c>POST /api/v1/agents/{id}/publish</c> does.</summary>
    public async Task<IActionResult> OnPostPublishAsync(Guid id, CancellationToken ct)
    {
        try
        {
            var agent = await publisher.PublishAsync(id, ct);
            Message = $"Published as Waldur offering {agent.WaldurOfferingUuid:N} ({agent.WaldurOfferingState}).";
        }
        catch (Exception e) when (e is RegistryException or WaldurApiException)
        {
            (Message, Failed) = ($"Not published: {e.Message}", true);
            Response.StatusCode = e is RegistryException r ? r.Status : 502;
        }
        db.ChangeTracker.Clear();
        return await OnGetAsync(id, ct);
    }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await db.Agents.AsNoTracking().Include(a => a.Category).Include(a => a.Plans).FirstOrDefaultAsync(a => a.Id == id, ct) is not { } a)
            return NotFound();
        Agent = a;
        Fields =
        [
            new("Id", a.Id), new("Name", a.Name), new("Slug", a.Slug),
            new("Category", a.Category?.Name, AdminLinks.Category(a.CategoryId)),
            new("Description", a.Description, Block: true), new("Default persona", a.DefaultPersona, Block: true),
            new("Welcome message", a.WelcomeMessage), new("Provider", a.Provider), new("Model", a.Model), new("Endpoint", a.Endpoint),
            new("Active", a.IsActive), new("Waldur offering", a.WaldurOfferingUuid), new("Offering state", a.WaldurOfferingState),
            new("Published", a.PublishedAt), new("Created", a.CreatedAt),
        ];
        History = await AuditHistory.ForAsync(db, nameof(Agent), id, ct);
        return Page();
    }
}
