using AgentRegistry.Access;
using AgentRegistry.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Admin.Accesses;

public sealed class DetailsModel(RegistryDb db, AccessLifecycle lifecycle) : PageModel
{
    public AgentAccess Access { get; private set; } = null!;
    public List<AccessState> Transitions { get; private set; } = [];
    public List<ApiKey> Keys { get; private set; } = [];
    public List<Field> Fields { get; private set; } = [];
    public List<AuditLog> History { get; private set; } = [];
    public DateTime Now { get; } = db.Clock.GetUtcNow().UtcDateTime;
    public string? Error { get; private set; }

    public static string Verb(AccessState from, AccessState to) => to switch
    {
        AccessState.Active => from == AccessState.Suspended ? "Resume" : "Activate",
        AccessState.Suspended => "Suspend",
        AccessState.Terminated => "Terminate",
        _ => to.ToString(),
    };

    public Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) => ShowAsync(id, ct);

    public async Task<IActionResult> OnPostMoveAsync(Guid id, AccessState state, CancellationToken ct)
    {
        if (await db.Accesses.FirstOrDefaultAsync(a => a.Id == id, ct) is not { } access) return NotFound();
        if (!access.CanMoveTo(state))
        {
            Error = $"An access in state {AdminFormat.Text(access.State)} cannot become {AdminFormat.Text(state)}.";
            Response.StatusCode = 409;
            return await ShowAsync(id, ct);
        }
        await lifecycle.MoveAsync(access, state, ct);
        return Redirect(AdminLinks.Access(id));
    }

    private async Task<IActionResult> ShowAsync(Guid id, CancellationToken ct)
    {
        var a = await db.Accesses.AsNoTracking().Include(x => x.Tenant).Include(x => x.Project).Include(x => x.Agent).Include(x => x.Plan)
            .FirstOrDefaultAsync(x => x.Id == id, ct);
        if (a is null) return NotFound();
        Access = a;
        Transitions = Enum.GetValues<AccessState>().Where(a.CanMoveTo).ToList();
        Keys = await db.ApiKeys.AsNoTracking().Where(k => k.AccessId == id).OrderByDescending(k => k.CreatedAt).ToListAsync(ct);
        var config = await db.CustomerConfigurations.AsNoTracking().Where(c => c.AccessId == id).Select(c => (Guid?)c.Id).FirstOrDefaultAsync(ct);
        Fields =
        [
            new("Id", a.Id), new("State", a.State), new("Tenant", a.Tenant?.Name, AdminLinks.Tenant(a.TenantId)),
            new("Project", a.Project?.Name, AdminLinks.Project(a.ProjectId)), new("Agent", a.Agent?.Slug, AdminLinks.Agent(a.AgentId)),
            new("Plan", a.Plan?.Name, AdminLinks.Plan(a.PlanId)),
            new("Configuration", config is null ? "agent defaults" : "customised", config is { } c ? $"/admin/configurations/details/{c}" : null),
            new("Waldur resource", a.WaldurResourceUuid), new("Waldur order", a.WaldurOrderUuid),
            new("Created", a.CreatedAt), new("State changed", a.StateChangedAt), new("Terminated", a.TerminatedAt),
            new("Usage records", "view", $"/admin/usage?access={id}"),
        ];
        History = await AuditHistory.ForAsync(db, nameof(AgentAccess), id, ct);
        return Page();
    }
}
