using System.Security.Claims;
using System.Text.Json;
using AgentRegistry.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace AgentRegistry.Identity;

/// <summary>
/// Maps an OpenID Connect identity (interactive or bearer) to the registry's roles: the operator role
/// from the role claim, otherwise membership of the tenant named by the tenant claim.
/// </summary>
public sealed class OidcClaimsTransformation(IOptions<OidcOptions> options, IMemoryCache cache, IServiceScopeFactory scopes)
    : IClaimsTransformation
{
    public async Task<ClaimsPrincipal> TransformAsync(ClaimsPrincipal principal)
    {
        if (principal.Identity is not ClaimsIdentity { IsAuthenticated: true } identity) return principal;
        // Local and API key principals carry an actor already; an OpenID Connect identity has a subject instead.
        if (identity.HasClaim(c => c.Type == RegistryClaims.Actor) || !identity.HasClaim(c => c.Type == "sub")) return principal;

        var o = options.Value;
        var mapped = new ClaimsIdentity(identity.Claims, identity.AuthenticationType, "preferred_username", ClaimTypes.Role);
        var name = identity.FindFirst("preferred_username")?.Value ?? identity.FindFirst("email")?.Value ?? identity.FindFirst("sub")?.Value ?? "oidc-user";
        mapped.AddClaim(new Claim(RegistryClaims.Actor, $"oidc:{name}"));

        if (RolesOf(identity, o.RoleClaim).Contains(o.OperatorRole))
        {
            mapped.AddClaim(new Claim(ClaimTypes.Role, Roles.Operator));
        }
        else if (identity.FindFirst(o.TenantClaim)?.Value is { } tenantRef && await ResolveTenant(tenantRef) is { } tenantId)
        {
            mapped.AddClaim(new Claim(ClaimTypes.Role, Roles.Member));
            mapped.AddClaim(new Claim(RegistryClaims.Tenant, tenantId.ToString()));
        }
        return new ClaimsPrincipal(mapped);
    }

    internal static HashSet<string> RolesOf(ClaimsIdentity identity, string roleClaim)
    {
        var roles = identity.FindAll(roleClaim).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        // Keycloak puts realm roles in {"realm_access": {"roles": [...]}}.
        if (identity.FindFirst("realm_access")?.Value is { } realm)
        {
            try
            {
                using var doc = JsonDocument.Parse(realm);
                if (doc.RootElement.TryGetProperty("roles", out var list) && list.ValueKind == JsonValueKind.Array)
                    foreach (var r in list.EnumerateArray())
                        if (r.GetString() is { } s) roles.Add(s);
            }
            catch (JsonException) { }
        }
        return roles;
    }

    private async Task<Guid?> ResolveTenant(string reference)
    {
        if (!Guid.TryParse(reference, out var id)) return null;
        return await cache.GetOrCreateAsync(("oidc-tenant", id), async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(5);
            await using var scope = scopes.CreateSystemScope();
            var db = scope.ServiceProvider.GetRequiredService<RegistryDb>();
            return await db.Tenants.Where(t => t.WaldurCustomerUuid == id || t.Id == id)
                .Select(t => (Guid?)t.Id).FirstOrDefaultAsync();
        });
    }
}
