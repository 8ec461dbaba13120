using AgentRegistry.Identity;
using AgentRegistry.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Admin.Accounts;

/// <summary>Creates local accounts and edits them: password, role, the home tenant and further tenants of a member.</summary>
public sealed class EditModel(RegistryDb db, LocalAccounts accounts) : AdminFormPage
{
    public sealed class AccountForm
    {
        public string? Email { get; set; }
        public string? DisplayName { get; set; }
        public string? Role { get; set; } = Roles.Member;
        public Guid? TenantId { get; set; }
        /// <summary>Further tenants of a member, beside the home tenant.</summary>
        public List<Guid> OtherTenantIds { get; set; } = [];
        public string? Password { get; set; }
        public bool IsDisabled { get; set; }
    }

    [BindProperty(SupportsGet = true)] public Guid? Id { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? TenantId { get; set; }
    [BindProperty] public AccountForm Form { get; set; } = new();
    public IReadOnlyList<FilterOption> Tenants { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Tenants = await AdminChoices.TenantsAsync(db, ct);
        if (Id is not { } id)
        {
            Form.TenantId = TenantId;
            return Page();
        }
        if (await db.LocalAccounts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, ct) is not { } a) return NotFound();
        var tenants = await accounts.TenantsOfAsync(a, ct);
        Form = new AccountForm
        {
            Email = a.Email, DisplayName = a.DisplayName, Role = a.Role, TenantId = a.TenantId, OtherTenantIds = tenants.Skip(1).ToList(),
            IsDisabled = a.IsDisabled,
        };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        LocalAccount? account = null;
        if (Id is { } id && (account = await db.LocalAccounts.FirstOrDefaultAsync(a => a.Id == id, ct)) is null) return NotFound();
        var keepPassword = account is not null && string.IsNullOrEmpty(Form.Password);
        // The API's account rules; an unchanged password is stood in for so its length rule does not fire.
        var input = new AccountInput(Form.Email ?? "", Form.DisplayName, Form.Role ?? "", Form.TenantId,
            keepPassword ? new string('x', 12) : Form.Password ?? "", Form.OtherTenantIds.Count > 0 ? Form.OtherTenantIds : null);
        Validate(input);
        if (account is not null && account.Id.ToString() == User.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value
            && (Form.IsDisabled || Form.Role != Roles.Operator))
            ModelState.AddModelError("", "You cannot disable your own account or take away your own operator role.");

        var saved = await TryAsync(async () =>
        {
            if (account is null) account = await accounts.CreateAsync(input, Form.IsDisabled, ct);
            else await accounts.UpdateAsync(account, input, keepPassword, Form.IsDisabled, ct);
        });
        if (saved) return Redirect(AdminLinks.Account(account!.Id));
        Tenants = await AdminChoices.TenantsAsync(db, ct);
        return Page();
    }
}
