using AgentRegistry.Identity;
using AgentRegistry.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Admin.Accounts;

/// <summary>Creates local accounts and edits them, including setting a new password.</summary>
public sealed class EditModel(RegistryDb db) : AdminFormPage
{
    public sealed class AccountForm
    {
        public string? Email { get; set; }
        public string? DisplayName { get; set; }
        public string? Role { get; set; } = Roles.Member;
        public Guid? TenantId { get; set; }
        public string? Password { get; set; }
        public bool IsDisabled { get; set; }
    }

    [BindProperty(SupportsGet = true)] public Guid? Id { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? TenantId { get; set; }
    [BindProperty] public AccountForm Form { get; set; } = new();
    public IReadOnlyList<FilterOption> Tenants { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Tenants = await AdminOptions.TenantsAsync(db, ct);
        if (Id is not { } id)
        {
            Form.TenantId = TenantId;
            return Page();
        }
        if (await db.LocalAccounts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, ct) is not { } a) return NotFound();
        Form = new AccountForm { Email = a.Email, DisplayName = a.DisplayName, Role = a.Role, TenantId = a.TenantId, IsDisabled = a.IsDisabled };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        LocalAccount? account = null;
        if (Id is { } id && (account = await db.LocalAccounts.FirstOrDefaultAsync(a => a.Id == id, ct)) is null) return NotFound();
        var keepPassword = account is not null && string.IsNullOrEmpty(Form.Password);
        // The API's account rules; an unchanged password is stood in for so its length rule does not fire.
        var input = new AccountInput(Form.Email ?? "", Form.DisplayName, Form.Role ?? "", Form.TenantId,
            keepPassword ? new string('x', 12) : Form.Password ?? "");
        Validate(input);
        if (account is not null && account.Id.ToString() == User.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value
            && (Form.IsDisabled || Form.Role != Roles.Operator))
            ModelState.AddModelError("", "You cannot disable your own account or take away your own operator role.");

        var saved = await TryAsync(async () =>
        {
            if (account is null)
            {
                account = await AccountsApi.CreateAsync(input, db, ct);
                if (Form.IsDisabled)
                {
                    account.IsDisabled = true;
                    await db.SaveChangesAsync(ct);
                }
                return;
            }
            var email = input.Email.Trim().ToLowerInvariant();
            await AccountsApi.CheckTenantAsync(input.Role, input.TenantId, db, ct);
            if (await db.LocalAccounts.AnyAsync(a => a.Email == email && a.Id != account.Id, ct))
                throw new ConflictException("duplicate-email", "An account with this email already exists.");
            account.Email = email;
            account.DisplayName = input.DisplayName?.Trim() ?? "";
            account.Role = input.Role;
            account.TenantId = input.TenantId;
            account.IsDisabled = Form.IsDisabled;
            if (!keepPassword) account.PasswordHash = new PasswordHasher<LocalAccount>().HashPassword(account, input.Password);
            await db.SaveChangesAsync(ct);
        });
        if (saved) return Redirect(AdminLinks.Account(account!.Id));
        Tenants = await AdminOptions.TenantsAsync(db, ct);
        return Page();
    }
}
