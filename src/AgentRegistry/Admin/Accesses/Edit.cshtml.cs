using AgentRegistry.Access;
using AgentRegistry.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Admin.Accesses;

/// <summary>Creates an access (project + agent + plan) or changes its name and plan.</summary>
public sealed class EditModel(RegistryDb db, AccessLifecycle lifecycle) : AdminFormPage
{
    public sealed class AccessForm
    {
        public Guid? ProjectId { get; set; }
        public Guid? AgentId { get; set; }
        public Guid? PlanId { get; set; }
        public string? Name { get; set; }
    }

    [BindProperty(SupportsGet = true)] public Guid? Id { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? ProjectId { get; set; }
    [BindProperty] public AccessForm Form { get; set; } = new();
    public IReadOnlyList<FilterOption> Projects { get; private set; } = [];
    public IReadOnlyList<FilterOption> Agents { get; private set; } = [];
    public IReadOnlyList<(string Agent, Guid AgentId, FilterOption Plan)> Plans { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (Id is { } id)
        {
            if (await db.Accesses.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, ct) is not { } a) return NotFound();
            Form = new AccessForm { ProjectId = a.ProjectId, AgentId = a.AgentId, PlanId = a.PlanId, Name = a.Name };
        }
        else Form.ProjectId = ProjectId;
        await LoadOptionsAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        AgentAccess? access = null;
        if (Id is { } id)
        {
            if ((access = await db.Accesses.FirstOrDefaultAsync(a => a.Id == id, ct)) is null) return NotFound();
            Form.AgentId = access.AgentId;
            var change = new AccessChange(null, Form.PlanId, Form.Name ?? "");
            Validate(change);
            if (await TryAsync(() => AccessesApi.ChangeAsync(access, change, db, lifecycle, ct))) return Redirect(AdminLinks.Access(id));
        }
        else
        {
            var input = new AccessInput(Form.ProjectId, Form.AgentId, Form.PlanId, string.IsNullOrWhiteSpace(Form.Name) ? null : Form.Name);
            Validate(input);
            if (await TryAsync(async () => access = await AccessesApi.CreateAsync(input, db, lifecycle, ct)))
                return Redirect(AdminLinks.Access(access!.Id));
        }
        await LoadOptionsAsync(ct);
        return Page();
    }

    private async Task LoadOptionsAsync(CancellationToken ct)
    {
        Projects = await AdminChoices.ProjectsAsync(db, ct);
        Agents = await AdminChoices.AgentsAsync(db, ct);
        Plans = await AdminChoices.PlansAsync(db, Id is null ? null : Form.AgentId, ct);
    }
}
