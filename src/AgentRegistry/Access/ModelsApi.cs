using AgentRegistry.Catalog;
using AgentRegistry.Infrastructure.RateLimiting;
using System.Security.Claims;
using System.Text.Json.Serialization;
using AgentRegistry.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Access;

public sealed record OpenAiModel(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("object")] string Object,
    [property: JsonPropertyName("created")] long Created,
    [property: JsonPropertyName("owned_by")] string OwnedBy);

public sealed record OpenAiModelList(
    [property: JsonPropertyName("object")] string Object,
    [property: JsonPropertyName("data")] IReadOnlyList<OpenAiModel> Data);

internal static class ModelsApi
{
    /// <summary>OpenAI-compatible model list: the one agent an API key belongs to, named by its slug.</summary>
    public static IEndpointRouteBuilder MapModels(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/models", async (ClaimsPrincipal user, RegistryDb db, CancellationToken ct) =>
            {
                var agentId = Guid.Parse(user.FindFirstValue(RegistryClaims.AgentId)!);
                var agent = await db.Agents.AsNoTracking().Where(a => a.Id == agentId)
                    .Select(a => new { a.Slug, a.CreatedAt }).FirstAsync(ct);
                return TypedResults.Ok(new OpenAiModelList("list",
                    [new OpenAiModel(agent.Slug, "model", new DateTimeOffset(agent.CreatedAt).ToUnixTimeSeconds(), "agentregistry")]));
            })
            .WithTags("OpenAI-compatible")
            .RequireAuthorization(Policies.ChatKey)
            .RequireRateLimiting(RateLimitPolicies.ApiKey);
        return routes;
    }
}
