using AgentRegistry.Tenancy;
using AgentRegistry.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Identity;

/// <summary>Creates and changes local accounts and their tenants; the accounts API and the admin both call it.</summary>
public sealed class LocalAccounts(RegistryDb db)
{
    /// <summary>The tenants a member belongs to: the home tenant first, then the others as assigned.</summary>
    public async Task<List<Guid>> TenantsOfAsync(LocalAccount account, CancellationToken ct) =>
        account.TenantId is not { } home ? []
            : [home, .. await db.Memberships.AsNoTracking().Where(m => m.AccountId == account.Id && m.TenantId != home)
                .OrderBy(m => m.CreatedAt).Select(m => m.TenantId).ToListAsync(ct)];

    /// <summary>The tenants of each account, for lists.</summary>
    public async Task<Dictionary<Guid, List<Guid>>> TenantsOfAsync(IReadOnlyCollection<LocalAccount> accounts, CancellationToken ct)
    {
        var ids = accounts.Select(a => a.Id).ToList();
        var others = await db.Memberships.AsNoTracking().Where(m => ids.Contains(m.AccountId)).OrderBy(m => m.CreatedAt).ToListAsync(ct);
        return accounts.ToDictionary(a => a.Id, a => a.TenantId is not { } home ? []
            : new List<Guid> { home }.Concat(others.Where(m => m.AccountId == a.Id && m.TenantId != home).Select(m => m.TenantId)).ToList());
    }

    public async Task<LocalAccount> CreateAsync(AccountInput input, bool disabled, CancellationToken ct)
    {
        var email = input.Email.Trim().ToLowerInvariant();
        var (home, others) = await TenantsAsync(input, ct);
        if (await db.LocalAccounts.AnyAsync(a => a.Email == email, ct))
            throw new ConflictException("duplicate-email", "An account with this email already exists.");
        var account = new LocalAccount
        {
            Email = email, DisplayName = input.DisplayName?.Trim() ?? "", Role = input.Role, TenantId = home, PasswordHash = "", IsDisabled = disabled,
        };
        account.PasswordHash = new PasswordHasher<LocalAccount>().HashPassword(account, input.Password);
        db.LocalAccounts.Add(account);
        db.Memberships.AddRange(others.Select(t => new Membership { AccountId = account.Id, TenantId = t }));
        await db.SaveChangesAsync(ct);
        return account;
    }

    /// <summary>Changes an account; <paramref name="keepPassword"/> leaves the password as it is.</summary>
    public async Task UpdateAsync(LocalAccount account, AccountInput input, bool keepPassword, bool disabled, CancellationToken ct)
    {
        var email = input.Email.Trim().ToLowerInvariant();
        var (home, others) = await TenantsAsync(input, ct);
        if (await db.LocalAccounts.AnyAsync(a => a.Email == email && a.Id != account.Id, ct))
            throw new ConflictException("duplicate-email", "An account with this email already exists.");
        var current = await db.Memberships.Where(m => m.AccountId == account.Id).ToListAsync(ct);
        // Sessions carry the email, role and tenants they were signed in with: any change to those (or to the
        // password, or disabling) ends them, so nobody keeps rights the account no longer has.
        if (email != account.Email || input.Role != account.Role || home != account.TenantId || disabled != account.IsDisabled || !keepPassword
            || !current.Select(m => m.TenantId).Where(t => t != home).ToHashSet().SetEquals(others))
            account.EndSessions();
        account.Email = email;
        account.DisplayName = input.DisplayName?.Trim() ?? "";
        account.Role = input.Role;
        account.TenantId = home;
        account.IsDisabled = disabled;
        if (!keepPassword) account.PasswordHash = new PasswordHasher<LocalAccount>().HashPassword(account, input.Password);
        db.Memberships.RemoveRange(current.Where(m => !others.Contains(m.TenantId)));
        db.Memberships.AddRange(others.Where(t => current.All(m => m.TenantId != t)).Select(t => new Membership { AccountId = account.Id, TenantId = t }));
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// A member belongs to at least one existing tenant (its home tenant is <c>tenant_id</c>, else the first of
    /// <c>tenant_ids</c>); an operator belongs to none.
    /// </summary>
    private async Task<(Guid? Home, List<Guid> Others)> TenantsAsync(AccountInput input, CancellationToken ct)
    {
        var listed = input.TenantIds ?? [];
        if (input.Role == Roles.Operator)
        {
            if (input.TenantId is not null) throw new FieldException("tenant_id", "An operator belongs to no tenant.");
            if (listed.Count > 0) throw new FieldException("tenant_ids", "An operator belongs to no tenant.");
            return (null, []);
        }
        var home = input.TenantId ?? (listed.Count > 0 ? listed[0] : throw new FieldException("tenant_id", "A member needs a tenant."));
        var all = new List<Guid> { home };
        all.AddRange(listed.Where(t => t != home).Distinct());
        var known = await db.Tenants.Where(t => all.Contains(t.Id)).Select(t => t.Id).ToListAsync(ct);
        if (!known.Contains(home)) throw new FieldException(input.TenantId is null ? "tenant_ids[0]" : "tenant_id", "No tenant has this id.");
        if (listed.FindIndex(t => !known.Contains(t)) is >= 0 and var i) throw new FieldException($"tenant_ids[{i}]", "No tenant has this id.");
        return (home, all.Skip(1).ToList());
    }
}
