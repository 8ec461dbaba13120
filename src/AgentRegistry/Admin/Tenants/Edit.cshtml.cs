using AgentRegistry.Infrastructure;
using AgentRegistry.Tenancy;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Admin.Tenants;

public sealed class EditModel(RegistryDb db) : AdminFormPage
{
    public sealed class TenantForm
    {
        public string? Name { get; set; }
        public string? Slug { get; set; }
        public string? Email { get; set; }
        public Guid? WaldurCustomerUuid { get; set; }
        public bool IsBlocked { get; set; }
    }

    [BindProperty(SupportsGet = true)] public Guid? Id { get; set; }
    [BindProperty] public TenantForm Form { get; set; } = new();

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (Id is not { } id) return Page();
        if (await db.Tenants.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, ct) is not { } t) return NotFound();
        Form = new TenantForm { Name = t.Name, Slug = t.Slug, Email = t.Email, WaldurCustomerUuid = t.WaldurCustomerUuid, IsBlocked = t.IsBlocked };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var tenant = Id is { } id ? await db.Tenants.FirstOrDefaultAsync(t => t.Id == id, ct) : new Tenant { Name = "", Slug = "" };
        if (tenant is null) return NotFound();
        var input = new TenantInput(Form.Name ?? "", Form.Slug ?? "", Form.Email, Form.WaldurCustomerUuid, Form.IsBlocked);
        Validate(input);
        var saved = await TryAsync(async () =>
        {
            await TenancyApi.Apply(tenant, input, db, ct);
            if (Id is null) db.Tenants.Add(tenant);
            await db.SaveChangesAsync(ct);
        });
        return saved ? Redirect(AdminLinks.Tenant(tenant.Id)) : Page();
    }
}
