using System.Security.Claims;
using AgentRegistry.Access;
using AgentRegistry.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Identity.Tokens;

public sealed record TokenView(Guid Id, string Name, string Prefix, IReadOnlyList<string> Scopes, string Owner, string Role,
    Guid? TenantId, DateTime ExpiresAt, DateTime? RevokedAt, DateTime? LastUsedAt, DateTime CreatedAt)
{
    public static TokenView Of(PersonalAccessToken t) =>
        new(t.Id, t.Name, t.Prefix, t.Scopes, t.Owner, t.Role, t.TenantId, t.ExpiresAt, t.RevokedAt, t.LastUsedAt, t.CreatedAt);
}

/// <summary>The token and its plaintext, shown this once.</summary>
public sealed record IssuedToken(TokenView Token, string Secret);

/// <summary>
/// Personal access tokens: made by a signed-in person for themselves (the admin pages, the API, later the portal),
/// listed and revoked by their owner and by operators. The token is shown once; only its SHA-256 is kept.
/// </summary>
public sealed class PersonalAccessTokens(RegistryDb db, TimeProvider clock)
{
    public const string Prefix = "ar_pat_";
    public const int MaxDays = 366;
    public const int DefaultDays = 90;

    public async Task<IssuedToken> IssueAsync(ClaimsPrincipal owner, string? name, IReadOnlyList<string>? scopes, int? days, CancellationToken ct)
    {
        if (owner.FindFirstValue(RegistryClaims.PersonalToken) is not null)
            throw new ProblemException(403, "token-cannot-issue-token", "Sign in to make a token; a token cannot make another.");
        if (string.IsNullOrWhiteSpace(name) || name.Length > 100) throw new FieldException("name", "Give the token a name of 1 to 100 characters.");
        scopes = scopes is null or { Count: 0 } ? [TokenScopes.Read] : scopes.Distinct().ToList();
        if (scopes.FirstOrDefault(s => !TokenScopes.All.Contains(s)) is { } unknown)
            throw new FieldException("scopes", $"Unknown scope '{unknown}'; use {string.Join(" or ", TokenScopes.All)}.");
        if (days is < 1 or > MaxDays) throw new FieldException("expires_in_days", $"A token lives 1 to {MaxDays} days.");
        var role = owner.IsInRole(Roles.Operator) ? Roles.Operator : owner.IsInRole(Roles.Member) ? Roles.Member
            : throw new ProblemException(403, "forbidden", "Only operators and tenant members have tokens.");

        var secret = ApiKeyFormat.Generate(Prefix);
        var token = new PersonalAccessToken
        {
            Name = name.Trim(), Prefix = secret[..(Prefix.Length + 4)], Hash = ApiKeyFormat.Hash(secret), Scopes = [.. scopes],
            Owner = OwnerOf(owner), AccountId = Guid.TryParse(owner.FindFirstValue(ClaimTypes.NameIdentifier), out var account) ? account : null,
            Role = role, TenantId = Guid.TryParse(owner.FindFirstValue(RegistryClaims.Tenant), out var tenant) ? tenant : null,
            ExpiresAt = clock.GetUtcNow().UtcDateTime.AddDays(days ?? DefaultDays),
        };
        db.PersonalAccessTokens.Add(token);
        await db.SaveChangesAsync(ct);
        return new IssuedToken(TokenView.Of(token), secret);
    }

    /// <summary>The owner's tokens; every token for an operator who asks for all.</summary>
    public async Task<IReadOnlyList<TokenView>> ListAsync(ClaimsPrincipal caller, bool all, CancellationToken ct)
    {
        var query = db.PersonalAccessTokens.AsNoTracking();
        if (!(all && caller.IsInRole(Roles.Operator))) query = query.Where(t => t.Owner == OwnerOf(caller));
        return (await query.OrderByDescending(t => t.CreatedAt).ToListAsync(ct)).Select(TokenView.Of).ToList();
    }

    /// <summary>Revokes a token of the caller's (an operator: anyone's); false when there is no such token.</summary>
    public async Task<bool> RevokeAsync(ClaimsPrincipal caller, Guid id, CancellationToken ct)
    {
        var token = await db.PersonalAccessTokens.FirstOrDefaultAsync(t => t.Id == id, ct);
        if (token is null || (!caller.IsInRole(Roles.Operator) && token.Owner != OwnerOf(caller))) return false;
        token.RevokedAt ??= clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return true;
    }

    public static string OwnerOf(ClaimsPrincipal user) =>
        user.FindFirstValue(RegistryClaims.Actor) ?? user.FindFirstValue("sub") ?? user.Identity?.Name ?? "unknown";
}
