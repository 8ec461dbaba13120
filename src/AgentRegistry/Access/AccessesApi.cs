using AgentRegistry.Catalog;
using AgentRegistry.Tenancy;
using System.ComponentModel.DataAnnotations;
using AgentRegistry.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Access;

public sealed record AccessInput([property: Required] Guid? ProjectId, [property: Required] Guid? AgentId,
    [property: Required] Guid? PlanId, [property: StringLength(200)] string? Name);

public sealed record AccessChange(AccessState? State, Guid? PlanId, [property: StringLength(200)] string? Name);

public sealed record AccessView(Guid Id, Guid TenantId, Guid ProjectId, Guid AgentId, string AgentSlug, Guid PlanId, string PlanName,
    string Name, AccessState State, Guid? WaldurResourceUuid, Guid? WaldurOrderUuid, DateTime CreatedAt, DateTime StateChangedAt,
    DateTime? TerminatedAt);

internal static class AccessesApi
{
    public static IEndpointRouteBuilder MapAccesses(this IEndpointRouteBuilder routes)
    {
        // Members reach only their tenant's accesses: the data layer's filter makes others 404.
        var accesses = routes.MapGroup("/api/v1/accesses").WithTags("Accesses").RequireAuthorization(Policies.Person);
        accesses.MapGet("/", List);
        accesses.MapGet("/{id:guid}", Get);
        accesses.MapPost("/", Create).RequireAuthorization(Policies.Operator);
        accesses.MapPatch("/{id:guid}", Change).RequireAuthorization(Policies.Operator);
        accesses.MapApiKeys();
        accesses.MapConfiguration();
        return routes;
    }

    internal static IQueryable<AccessView> Project(this IQueryable<AgentAccess> accesses) => accesses.AsNoTracking().Select(a => new AccessView(
        a.Id, a.TenantId, a.ProjectId, a.AgentId, a.Agent!.Slug, a.PlanId, a.Plan!.Name, a.Name, a.State,
        a.WaldurResourceUuid, a.WaldurOrderUuid, a.CreatedAt, a.StateChangedAt, a.TerminatedAt));

    private static Task<Paged<AccessView>> List(RegistryDb db, [AsParameters] PageRequest page, Guid? tenant, Guid? agent,
        string? state, CancellationToken ct)
    {
        AccessState? wanted = state is null ? null
            : Enum.TryParse<AccessState>(state, ignoreCase: true, out var parsed) && !int.TryParse(state, out _) ? parsed
            : throw new FieldException("state", "Use provisioning, active, suspended or terminated.");
        return db.Accesses.Where(a => tenant == null || a.TenantId == tenant)
            .Where(a => agent == null || a.AgentId == agent)
            .Where(a => wanted == null || a.State == wanted)
            .OrderByDescending(a => a.CreatedAt)
            .Project()
            .ToPageAsync(page, a => a, ct);
    }

    private static async Task<Results<Ok<AccessView>, NotFound>> Get(Guid id, RegistryDb db, CancellationToken ct) =>
        await db.Accesses.Where(a => a.Id == id).Project().FirstOrDefaultAsync(ct) is { } a ? TypedResults.Ok(a) : TypedResults.NotFound();

    private static async Task<Created<AccessView>> Create(AccessInput input, RegistryDb db, AccessLifecycle lifecycle, CancellationToken ct)
    {
        var access = await CreateAsync(input, db, lifecycle, ct);
        return TypedResults.Created($"/api/v1/accesses/{access.Id}", await db.Accesses.Where(a => a.Id == access.Id).Project().FirstAsync(ct));
    }

    /// <summary>Subscribes a project to an agent's plan and activates it; shared with the admin.</summary>
    internal static async Task<AgentAccess> CreateAsync(AccessInput input, RegistryDb db, AccessLifecycle lifecycle, CancellationToken ct)
    {
        var project = await db.Projects.FirstOrDefaultAsync(p => p.Id == input.ProjectId, ct)
            ?? throw new FieldException("project_id", "No project has this id.");
        var plan = await db.Plans.FirstOrDefaultAsync(p => p.Id == input.PlanId && p.AgentId == input.AgentId, ct)
            ?? throw new FieldException("plan_id", "No plan with this id belongs to the agent.");
        var agent = await db.Agents.FirstAsync(a => a.Id == plan.AgentId, ct);
        var access = new AgentAccess
        {
            TenantId = project.TenantId, ProjectId = project.Id, AgentId = agent.Id, PlanId = plan.Id,
            Name = input.Name?.Trim() ?? $"{agent.Name} for {project.Name}",
        };
        db.Accesses.Add(access);
        await lifecycle.MoveAsync(access, AccessState.Active, ct);
        return access;
    }

    private static async Task<Results<Ok<AccessView>, NotFound>> Change(Guid id, AccessChange input, RegistryDb db,
        AccessLifecycle lifecycle, CancellationToken ct)
    {
        if (await db.Accesses.FirstOrDefaultAsync(a => a.Id == id, ct) is not { } access) return TypedResults.NotFound();
        await ChangeAsync(access, input, db, lifecycle, ct);
        return TypedResults.Ok(await db.Accesses.Where(a => a.Id == id).Project().FirstAsync(ct));
    }

    /// <summary>Changes plan, name and state of an access and saves; shared with the admin.</summary>
    internal static async Task ChangeAsync(AgentAccess access, AccessChange input, RegistryDb db, AccessLifecycle lifecycle, CancellationToken ct)
    {
        if (input.PlanId is { } planId)
        {
            if (!await db.Plans.AnyAsync(p => p.Id == planId && p.AgentId == access.AgentId, ct))
                throw new FieldException("plan_id", "No plan with this id belongs to the access's agent.");
            access.PlanId = planId;
        }
        if (input.Name is { } name) access.Name = name.Trim();
        if (input.State is { } state) await lifecycle.MoveAsync(access, state, ct);
        else await db.SaveChangesAsync(ct);
    }
}
