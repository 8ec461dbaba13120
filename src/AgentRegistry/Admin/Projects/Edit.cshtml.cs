using AgentRegistry.Infrastructure;
using AgentRegistry.Tenancy;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Admin.Projects;

public sealed class EditModel(RegistryDb db) : AdminFormPage
{
    public sealed class ProjectForm
    {
        public string? Name { get; set; }
        public Guid? WaldurProjectUuid { get; set; }
        public DateOnly? EndDate { get; set; }
    }

    [BindProperty(SupportsGet = true)] public Guid? Id { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? TenantId { get; set; }
    [BindProperty] public ProjectForm Form { get; set; } = new();
    public IReadOnlyList<FilterOption> Tenants { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Tenants = await AdminChoices.TenantsAsync(db, ct);
        if (Id is not { } id) return Page();
        if (await db.Projects.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct) is not { } p) return NotFound();
        Form = new ProjectForm { Name = p.Name, WaldurProjectUuid = p.WaldurProjectUuid, EndDate = p.EndDate };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        TenantProject? project;
        if (Id is { } id) project = await db.Projects.FirstOrDefaultAsync(p => p.Id == id, ct);
        else if (TenantId is { } tenant && await db.Tenants.AnyAsync(t => t.Id == tenant, ct)) project = new TenantProject { TenantId = tenant, Name = "" };
        else
        {
            ModelState.AddModelError(nameof(TenantId), "Choose the tenant the project belongs to.");
            project = new TenantProject { Name = "" };
        }
        if (project is null) return NotFound();
        var input = new ProjectInput(Form.Name ?? "", Form.WaldurProjectUuid, Form.EndDate);
        Validate(input);
        var saved = await TryAsync(async () =>
        {
            await TenancyApi.Apply(project, input, db, ct);
            if (Id is null) db.Projects.Add(project);
            await db.SaveChangesAsync(ct);
        });
        if (saved) return Redirect(AdminLinks.Project(project.Id));
        Tenants = await AdminChoices.TenantsAsync(db, ct);
        return Page();
    }
}
