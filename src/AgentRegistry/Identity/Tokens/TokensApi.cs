using System.Security.Claims;
using AgentRegistry.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgentRegistry.Identity.Tokens;

/// <summary>What a new token is for, its scopes (default api:read) and lifetime (default 90 days, at most 366).</summary>
public sealed record TokenInput(string? Name, IReadOnlyList<string>? Scopes, int? ExpiresInDays);

/// <summary>
/// <c>/api/v1/me/tokens</c>: a signed-in person makes, lists and revokes their own personal access tokens;
/// <c>?all=true</c> lists everyone's for an operator.
/// </summary>
internal static class TokensApi
{
    public static IEndpointRouteBuilder MapTokens(this IEndpointRouteBuilder routes)
    {
        var tokens = routes.MapGroup("/api/v1/me/tokens").WithTags("Identity").RequireAuthorization(Policies.Person);
        tokens.MapGet("/", async (bool? all, ClaimsPrincipal user, PersonalAccessTokens service, CancellationToken ct) =>
            TypedResults.Ok(await service.ListAsync(user, all == true, ct)));
        tokens.MapPost("/", async Task<Created<IssuedToken>> (TokenInput input, ClaimsPrincipal user, PersonalAccessTokens service, CancellationToken ct) =>
        {
            var issued = await service.IssueAsync(user, input.Name, input.Scopes, input.ExpiresInDays, ct);
            return TypedResults.Created($"/api/v1/me/tokens/{issued.Token.Id}", issued);
        });
        tokens.MapDelete("/{id:guid}", async Task<Results<NoContent, NotFound>> (Guid id, ClaimsPrincipal user, PersonalAccessTokens service, CancellationToken ct) =>
            await service.RevokeAsync(user, id, ct) ? TypedResults.NoContent() : TypedResults.NotFound());
        return routes;
    }
}
