using AgentRegistry.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgentRegistry.Chat;

/// <summary>What the access's agent was asked, through the widget, the API or the portal; members of its tenant read it.</summary>
internal static class ConversationsApi
{
    public static void MapConversations(this IEndpointRouteBuilder routes)
    {
        var conversations = routes.MapGroup("/api/v1/accesses/{id:guid}/conversations").WithTags("Conversations").RequireAuthorization(Policies.Person);
        conversations.MapGet("/", List);
        conversations.MapGet("/{conversationId:guid}", Get);
    }

    private static async Task<Results<Ok<Paged<ConversationSummary>>, NotFound>> List(Guid id, string? search, [AsParameters] PageRequest page,
        ConversationReader conversations, CancellationToken ct) =>
        await conversations.ListAsync(id, search, page, ct) is { } list ? TypedResults.Ok(list) : TypedResults.NotFound();

    private static async Task<Results<Ok<ConversationTranscript>, NotFound>> Get(Guid id, Guid conversationId, ConversationReader conversations,
        CancellationToken ct) =>
        await conversations.GetAsync(id, conversationId, ct) is { } transcript ? TypedResults.Ok(transcript) : TypedResults.NotFound();
}
