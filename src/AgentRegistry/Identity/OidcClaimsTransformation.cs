using AgentRegistry.Tenancy;
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
/// from the role claim, otherwise membership of every tenant named by the tenant claim or a group.
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
            return new ClaimsPrincipal(mapped);
        }
        var tenants = new List<Guid>();
        foreach (var reference in TenantReferences(identity, o))
            if (await ResolveTenant(reference) is { } tenantId && !tenants.Contains(tenantId)) tenants.Add(tenantId);
        if (tenants.Count > 0)
        {
            mapped.AddClaim(new Claim(ClaimTypes.Role, Roles.Member));
            foreach (var tenantId in tenants) mapped.AddClaim(new Claim(RegistryClaims.Tenant, tenantId.ToString()));
        }
        return new ClaimsPrincipal(mapped);
    }

    /// <summary>
    /// Every value of the tenant claim (one claim per value, or a JSON array in one claim), then every group whose
    /// last path segment is a UUID (Keycloak's group membership mapper writes paths such as <c>/customers/&lt;uuid&gt;</c>).
    /// </summary>
    internal static IEnumerable<string> TenantReferences(ClaimsIdentity identity, OidcOptions o)
    {
        foreach (var value in Values(identity, o.TenantClaim)) yield return value;
        if (string.IsNullOrEmpty(o.GroupsClaim)) yield break;
        foreach (var group in Values(identity, o.GroupsClaim))
            if (group.TrimEnd('/').Split('/')[^1] is var last && Guid.TryParse(last, out _)) yield return last;
    }

    private static IEnumerable<string> Values(ClaimsIdentity identity, string type)
    {
        foreach (var claim in identity.FindAll(type))
        {
            if (!claim.Value.StartsWith('[')) { yield return claim.Value; continue; }
            List<string>? list = null;
            try { list = JsonSerializer.Deserialize<List<string>>(claim.Value); }
            catch (JsonException) { }
            foreach (var item in list ?? []) yield return item;
        }
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
