using System.Security.Claims;
using AgentRegistry.Infrastructure;

namespace AgentRegistry.Identity;

/// <summary><c>GET /</c>: an operator goes to the admin, a member to the portal, anyone else to sign in.</summary>
internal static class RootRedirect
{
    public static IEndpointRouteBuilder MapRootRedirect(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/", (ClaimsPrincipal user) => TypedResults.Redirect(
                user.IsInRole(Roles.Operator) ? "/admin" : user.IsInRole(Roles.Member) ? "/portal" : "/login"))
            .AllowAnonymous().ExcludeFromDescription();
        return routes;
    }
}
