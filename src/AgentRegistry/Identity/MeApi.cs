using System.Security.Claims;
using AgentRegistry.Infrastructure;

namespace AgentRegistry.Identity;

public sealed record MeView(string Actor, string? Role, Guid? TenantId, bool AllTenants);

internal static class MeApi
{
    public static IEndpointRouteBuilder MapMe(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/v1/me", (ClaimsPrincipal user, Caller caller) => TypedResults.Ok(new MeView(
                caller.Actor,
                user.IsInRole(Roles.Operator) ? Roles.Operator : user.IsInRole(Roles.Member) ? Roles.Member : null,
                caller.TenantId, caller.AllTenants)))
            .WithTags("Identity")
            .RequireAuthorization(Policies.Person);
        return routes;
    }
}
