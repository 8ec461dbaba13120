using System.ComponentModel.DataAnnotations;
using AgentRegistry.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Identity;

/// <param name="TenantId">A member's home tenant: where the portal opens first.</param>
/// <param name="TenantIds">Every tenant a member belongs to (the home tenant among them, or first when no tenant_id is given).</param>
public sealed record AccountInput(
    [property: Required, EmailAddress, StringLength(254)] string Email,
    [property: StringLength(200)] string? DisplayName,
    [property: Required, RegularExpression("^(operator|member)$", ErrorMessage = "Use operator or member.")] string Role,
    Guid? TenantId,
    [property: Required, StringLength(200, MinimumLength = 12, ErrorMessage = "Use at least 12 characters.")] string Password,
    [property: MaxLength(100)] List<Guid>? TenantIds = null);

public sealed record AccountView(Guid Id, string Email, string DisplayName, string Role, Guid? TenantId, bool IsDisabled,
    DateTime CreatedAt, DateTime? LastLoginAt, IReadOnlyList<Guid> TenantIds)
{
    public static AccountView Of(LocalAccount a, IReadOnlyList<Guid> tenants) =>
        new(a.Id, a.Email, a.DisplayName, a.Role, a.TenantId, a.IsDisabled, a.CreatedAt, a.LastLoginAt, tenants);
}

/// <summary>Local accounts (the embedded identity): operators create them for staff and tenant members.</summary>
internal static class AccountsApi
{
    public static IEndpointRouteBuilder MapAccounts(this IEndpointRouteBuilder routes)
    {
        var accounts = routes.MapGroup("/api/v1/accounts").WithTags("Identity").RequireAuthorization(Policies.Operator);
        accounts.MapGet("/", List);
        accounts.MapPost("/", Create);
        return routes;
    }

    private static async Task<Paged<AccountView>> List(RegistryDb db, LocalAccounts accounts, [AsParameters] PageRequest page, string? search,
        CancellationToken ct)
    {
        var rows = await db.LocalAccounts.AsNoTracking().Where(a => search == null || a.Email.Contains(search))
            .OrderBy(a => a.Email).ToPageAsync(page, a => a, ct);
        var tenants = await accounts.TenantsOfAsync(rows.Items.ToList(), ct);
        return new Paged<AccountView>(rows.Items.Select(a => AccountView.Of(a, tenants[a.Id])).ToList(), rows.Page, rows.PageSize, rows.Total);
    }

    private static async Task<Created<AccountView>> Create(AccountInput input, LocalAccounts accounts, CancellationToken ct)
    {
        var account = await accounts.CreateAsync(input, disabled: false, ct);
        return TypedResults.Created($"/api/v1/accounts/{account.Id}", AccountView.Of(account, await accounts.TenantsOfAsync(account, ct)));
    }
}
