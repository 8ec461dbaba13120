using System.ComponentModel.DataAnnotations;
using AgentRegistry.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Identity;

public sealed record AccountInput(
    [property: Required, EmailAddress, StringLength(254)] string Email,
    [property: StringLength(200)] string? DisplayName,
    [property: Required, RegularExpression("^(operator|member)$", ErrorMessage = "Use operator or member.")] string Role,
    Guid? TenantId,
    [property: Required, StringLength(200, MinimumLength = 12, ErrorMessage = "Use at least 12 characters.")] string Password);

public sealed record AccountView(Guid Id, string Email, string DisplayName, string Role, Guid? TenantId, bool IsDisabled,
    DateTime CreatedAt, DateTime? LastLoginAt)
{
    public static AccountView Of(LocalAccount a) => new(a.Id, a.Email, a.DisplayName, a.Role, a.TenantId, a.IsDisabled, a.CreatedAt, a.LastLoginAt);
}

/// <summary>Local accounts (the embedded identity): operators create them for staff and tenant members.</summary>
internal static class AccountsApi
{
    public static IEndpointRouteBuilder MapAccounts(this IEndpointRouteBuilder routes)
    {
        var accounts = routes.MapGroup("/api/v1/accounts").WithTags("Identity").RequireAuthorization(Policies.Operator);
        accounts.MapGet("/", async (RegistryDb db, [AsParameters] PageRequest page, string? search, CancellationToken ct) =>
            await db.LocalAccounts.AsNoTracking().Where(a => search == null || a.Email.Contains(search))
                .OrderBy(a => a.Email).ToPageAsync(page, AccountView.Of, ct));
        accounts.MapPost("/", Create);
        return routes;
    }

    private static async Task<Created<AccountView>> Create(AccountInput input, RegistryDb db, CancellationToken ct)
    {
        var account = await CreateAsync(input, db, ct);
        return TypedResults.Created($"/api/v1/accounts/{account.Id}", AccountView.Of(account));
    }

    /// <summary>A member belongs to exactly one existing tenant, an operator to none; shared with the admin.</summary>
    internal static async Task CheckTenantAsync(string role, Guid? tenantId, RegistryDb db, CancellationToken ct)
    {
        if (role == Roles.Member && tenantId is null) throw new FieldException("tenant_id", "A member needs a tenant.");
        if (role == Roles.Operator && tenantId is not null) throw new FieldException("tenant_id", "An operator belongs to no tenant.");
        if (tenantId is { } tenant && !await db.Tenants.AnyAsync(t => t.Id == tenant, ct))
            throw new FieldException("tenant_id", "No tenant has this id.");
    }

    internal static async Task<LocalAccount> CreateAsync(AccountInput input, RegistryDb db, CancellationToken ct)
    {
        var email = input.Email.Trim().ToLowerInvariant();
        await CheckTenantAsync(input.Role, input.TenantId, db, ct);
        if (await db.LocalAccounts.AnyAsync(a => a.Email == email, ct))
            throw new ConflictException("duplicate-email", "An account with this email already exists.");
        var account = new LocalAccount
        {
            Email = email, DisplayName = input.DisplayName?.Trim() ?? "", Role = input.Role, TenantId = input.TenantId, PasswordHash = "",
        };
        account.PasswordHash = new PasswordHasher<LocalAccount>().HashPassword(account, input.Password);
        db.LocalAccounts.Add(account);
        await db.SaveChangesAsync(ct);
        return account;
    }
}
