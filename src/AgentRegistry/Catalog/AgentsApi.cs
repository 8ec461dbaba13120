using System.ComponentModel.DataAnnotations;
using AgentRegistry.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Catalog;

public sealed record AgentInput(
    [property: Required] Guid? CategoryId,
    [property: Required, StringLength(120, MinimumLength = 1)] string Name,
    [property: Required, StringLength(60, MinimumLength = 1), RegularExpression(Slugs.Pattern, ErrorMessage = Slugs.Message)] string Slug,
    [property: StringLength(4000)] string? Description,
    [property: StringLength(20000)] string? DefaultPersona,
    [property: StringLength(1000)] string? WelcomeMessage,
    [property: RegularExpression("^(offline|openai)$", ErrorMessage = "Use offline or openai.")] string? Provider,
    [property: StringLength(200)] string? Model,
    [property: Url, StringLength(400)] string? Endpoint,
    bool? IsActive);

/// <param name="DefaultPersona">The operator's prompt; null in a tenant member's view of the catalog.</param>
/// <param name="Endpoint">The upstream the agent calls; null in a tenant member's view of the catalog.</param>
public sealed record AgentView(
    Guid Id, Guid CategoryId, string Name, string Slug, string Description, string? DefaultPersona, string WelcomeMessage,
    string Provider, string? Model, string? Endpoint, bool IsActive, Guid? WaldurOfferingUuid, string? WaldurOfferingState,
    DateTime? PublishedAt, DateTime CreatedAt)
{
    public static AgentView Of(Agent a) => new(a.Id, a.CategoryId, a.Name, a.Slug, a.Description, a.DefaultPersona,
        a.WelcomeMessage, a.Provider, a.Model, a.Endpoint, a.IsActive, a.WaldurOfferingUuid, a.WaldurOfferingState,
        a.PublishedAt, a.CreatedAt);

    /// <summary>What the caller may read: members see the catalog without how each agent is built (its prompt, its upstream).</summary>
    public static Func<Agent, AgentView> For(Caller caller) =>
        caller.IsOperator ? Of : a => Of(a) with { DefaultPersona = null, Endpoint = null };
}

internal static class AgentsApi
{
    public static void MapAgents(this IEndpointRouteBuilder routes)
    {
        var agents = routes.MapGroup("/api/v1/agents").WithTags("Catalog").RequireAuthorization(Policies.Person);
        agents.MapGet("/", List);
        agents.MapGet("/{id:guid}", Get);
        agents.MapPost("/", Create).RequireAuthorization(Policies.Operator);
        agents.MapPut("/{id:guid}", Update).RequireAuthorization(Policies.Operator);
        agents.MapDelete("/{id:guid}", Delete).RequireAuthorization(Policies.Operator);
    }

    private static Task<Paged<AgentView>> List(RegistryDb db, [AsParameters] PageRequest page, string? search,
        Guid? category, bool? active, Caller caller, CancellationToken ct) =>
        db.Agents.AsNoTracking()
            .Where(a => search == null || a.Name.Contains(search) || a.Slug.Contains(search))
            .Where(a => category == null || a.CategoryId == category)
            .Where(a => active == null || a.IsActive == active)
            .OrderBy(a => a.Name)
            .ToPageAsync(page, AgentView.For(caller), ct);

    private static async Task<Results<Ok<AgentView>, NotFound>> Get(Guid id, RegistryDb db, Caller caller, CancellationToken ct) =>
        await db.Agents.FindAsync([id], ct) is { } a ? TypedResults.Ok(AgentView.For(caller)(a)) : TypedResults.NotFound();

    private static async Task<Created<AgentView>> Create(AgentInput input, RegistryDb db, CancellationToken ct)
    {
        var agent = new Agent { Name = "", Slug = "" };
        await Apply(agent, input, db, ct);
        db.Agents.Add(agent);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/agents/{agent.Id}", AgentView.Of(agent));
    }

    private static async Task<Results<Ok<AgentView>, NotFound>> Update(Guid id, AgentInput input, RegistryDb db, CancellationToken ct)
    {
        if (await db.Agents.FindAsync([id], ct) is not { } agent) return TypedResults.NotFound();
        await Apply(agent, input, db, ct);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(AgentView.Of(agent));
    }

    private static async Task<Results<NoContent, NotFound>> Delete(Guid id, RegistryDb db, ICatalogUse use, CancellationToken ct)
    {
        if (await db.Agents.FindAsync([id], ct) is not { } agent) return TypedResults.NotFound();
        if (await use.AgentInUseAsync(id, ct))
            throw new ConflictException("agent-in-use", "The agent has subscriptions; deactivate it instead of deleting it.");
        db.Agents.Remove(agent);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    internal static async Task Apply(Agent agent, AgentInput input, RegistryDb db, CancellationToken ct)
    {
        if (!await db.Categories.AnyAsync(c => c.Id == input.CategoryId, ct))
            throw new FieldException("category_id", "No category has this id.");
        if (await db.Agents.AnyAsync(a => a.Slug == input.Slug && a.Id != agent.Id, ct))
            throw new ConflictException("duplicate-slug", $"An agent with slug '{input.Slug}' already exists.");
        var provider = input.Provider ?? "offline";
        if (provider == "openai" && string.IsNullOrWhiteSpace(input.Model))
            throw new FieldException("model", "An openai provider needs a model name.");
        agent.CategoryId = input.CategoryId!.Value;
        agent.Name = input.Name.Trim();
        agent.Slug = input.Slug;
        agent.Description = input.Description ?? "";
        agent.DefaultPersona = input.DefaultPersona ?? "";
        agent.WelcomeMessage = input.WelcomeMessage ?? "";
        agent.Provider = provider;
        agent.Model = input.Model;
        agent.Endpoint = input.Endpoint;
        agent.IsActive = input.IsActive ?? true;
    }
}
