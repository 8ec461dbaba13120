using AgentRegistry.Catalog;
using AgentRegistry.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Admin.Agents;

public sealed class EditModel(RegistryDb db) : AdminFormPage
{
    public sealed class AgentForm
    {
        public Guid? CategoryId { get; set; }
        public string? Name { get; set; }
        public string? Slug { get; set; }
        public string? Description { get; set; }
        public string? DefaultPersona { get; set; }
        public string? WelcomeMessage { get; set; }
        public string? Provider { get; set; } = "offline";
        public string? Model { get; set; }
        public string? Endpoint { get; set; }
        public bool IsActive { get; set; } = true;
    }

    [BindProperty(SupportsGet = true)] public Guid? Id { get; set; }
    [BindProperty] public AgentForm Form { get; set; } = new();
    public IReadOnlyList<FilterOption> Categories { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Categories = await AdminChoices.CategoriesAsync(db, ct);
        if (Id is not { } id) return Page();
        if (await db.Agents.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, ct) is not { } a) return NotFound();
        Form = new AgentForm
        {
            CategoryId = a.CategoryId, Name = a.Name, Slug = a.Slug, Description = a.Description, DefaultPersona = a.DefaultPersona,
            WelcomeMessage = a.WelcomeMessage, Provider = a.Provider, Model = a.Model, Endpoint = a.Endpoint, IsActive = a.IsActive,
        };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var agent = Id is { } id ? await db.Agents.FirstOrDefaultAsync(a => a.Id == id, ct) : new Agent { Name = "", Slug = "" };
        if (agent is null) return NotFound();
        var input = new AgentInput(Form.CategoryId, Form.Name ?? "", Form.Slug ?? "", Form.Description, Form.DefaultPersona,
            Form.WelcomeMessage, Form.Provider, Form.Model, Form.Endpoint, Form.IsActive);
        Validate(input);
        var saved = await TryAsync(async () =>
        {
            await AgentsApi.Apply(agent, input, db, ct);
            if (Id is null) db.Agents.Add(agent);
            await db.SaveChangesAsync(ct);
        });
        if (saved) return Redirect(AdminLinks.Agent(agent.Id));
        Categories = await AdminChoices.CategoriesAsync(db, ct);
        return Page();
    }
}
