using AgentRegistry.Catalog;
using AgentRegistry.Infrastructure;
using AgentRegistry.Waldur.Client;

namespace AgentRegistry.Waldur.Publishing;

internal static class PublishApi
{
    public static IEndpointRouteBuilder MapPublishing(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/api/v1/agents/{id:guid}/publish", async (Guid id, OfferingPublisher publisher, CancellationToken ct) =>
            {
                try
                {
                    return Results.Ok(AgentView.Of(await publisher.PublishAsync(id, ct)));
                }
                catch (WaldurApiException e) when (e.IsTransient)
                {
                    return Problems.Result(503, "waldur-unavailable", "Waldur did not answer; publishing can be retried.", e.Message);
                }
                catch (WaldurApiException e)
                {
                    return Problems.Result(502, "waldur-refused", "Waldur refused the offering.", e.Message);
                }
            })
            .WithTags("Catalog")
            .RequireAuthorization(Policies.Operator);
        return routes;
    }
}
