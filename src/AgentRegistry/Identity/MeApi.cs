using System.Security.Claims;
using AgentRegistry.Infrastructure;

namespace AgentRegistry.Identity;

/// <param name="TenantId">The tenant the caller works in now.</param>
/// <param name="TenantIds">Every tenant the caller belongs to (a member); choose one with the X-Tenant-Id header.</param>
public sealed record MeView(string Actor, string? Role, Guid? TenantId, bool AllTenants, IReadOnlyList<Guid> TenantIds);

internal static class MeApi
{
    public static IEndpointRouteBuilder MapMe(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/v1/me", (ClaimsPrincipal user, Caller caller) => TypedResults.Ok(new MeView(
                caller.Actor,
                user.IsInRole(Roles.Operator) ? Roles.Operator : user.IsInRole(Roles.Member) ? Roles.Member : null,
                caller.TenantId, caller.AllTenants, caller.MemberOf)))
            .WithTags("Identity")
            .RequireAuthorization(Policies.Person);
        return routes;
    }
}
