using System.ComponentModel.DataAnnotations;
using AgentRegistry.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Catalog;

public sealed record PlanComponentInput(
    [property: Required, StringLength(50, MinimumLength = 1), RegularExpression("^[a-z][a-z0-9_]*$", ErrorMessage = "Use lowercase letters, digits and underscores.")] string Type,
    [property: Required, StringLength(100, MinimumLength = 1)] string Name,
    [property: StringLength(30)] string? MeasuredUnit,
    [property: RegularExpression("^(usage|limit|fixed|one|few)$", ErrorMessage = "Use usage, limit, fixed, one or few.")] string? BillingType,
    [property: StringLength(60), RegularExpression("^[a-z][a-z0-9_]*$", ErrorMessage = "Use lowercase letters, digits and underscores.")] string? Metric,
    [property: Range(1, 1_000_000_000)] long? UnitSize,
    [property: Range(typeof(decimal), "0", "1000000")] decimal Price,
    [property: Range(typeof(decimal), "0", "1000000000000")] decimal? Limit,
    bool HardLimit);

public sealed record PlanInput(
    [property: Required, StringLength(120, MinimumLength = 1)] string Name,
    [property: StringLength(4000)] string? Description,
    [property: RegularExpression("^(month|day|hour|half_month|quantity|quarter)$", ErrorMessage = "Use month, day, hour, half_month, quantity or quarter.")] string? Unit,
    [property: Range(typeof(decimal), "0", "1000000")] decimal UnitPrice,
    [property: MaxLength(20)] List<PlanComponentInput>? Components,
    bool? IsActive);

/// <summary>A plan version: <c>IsCurrent</c> false once an edit replaced it (<c>ReplacedById</c>); accesses on it keep it.</summary>
public sealed record PlanView(Guid Id, Guid AgentId, string Name, string Description, string Unit, decimal UnitPrice,
    bool IsActive, IReadOnlyList<PlanComponent> Components, Guid? WaldurPlanUuid, DateTime CreatedAt, int Version, bool IsCurrent, Guid? ReplacedById)
{
    public static PlanView Of(AgentPlan p) => new(p.Id, p.AgentId, p.Name, p.Description, p.Unit, p.UnitPrice,
        p.IsActive, p.Components, p.WaldurPlanUuid, p.CreatedAt, p.Version, p.IsCurrent, p.ReplacedById);
}

internal static class PlansApi
{
    public static void MapPlans(this IEndpointRouteBuilder routes)
    {
        var plans = routes.MapGroup("/api/v1/agents/{agentId:guid}/plans").WithTags("Catalog").RequireAuthorization(Policies.Person);
        plans.MapGet("/", List);
        plans.MapGet("/{id:guid}", Get);
        plans.MapPost("/", Create).RequireAuthorization(Policies.Operator);
        plans.MapPut("/{id:guid}", Update).RequireAuthorization(Policies.Operator);
        plans.MapDelete("/{id:guid}", Delete).RequireAuthorization(Policies.Operator);
    }

    private static async Task<Results<Ok<List<PlanView>>, NotFound>> List(Guid agentId, RegistryDb db, CancellationToken ct)
    {
        if (!await db.Agents.AnyAsync(a => a.Id == agentId, ct)) return TypedResults.NotFound();
        var plans = await db.Plans.AsNoTracking().Where(p => p.AgentId == agentId).OrderBy(p => p.CreatedAt).ThenBy(p => p.Version).ToListAsync(ct);
        return TypedResults.Ok(plans.Select(PlanView.Of).ToList());
    }

    private static async Task<Results<Ok<PlanView>, NotFound>> Get(Guid agentId, Guid id, RegistryDb db, CancellationToken ct) =>
        await db.Plans.AsNoTracking().FirstOrDefaultAsync(p => p.AgentId == agentId && p.Id == id, ct) is { } p
            ? TypedResults.Ok(PlanView.Of(p)) : TypedResults.NotFound();

    private static async Task<Results<Created<PlanView>, NotFound>> Create(Guid agentId, PlanInput input, RegistryDb db, CancellationToken ct)
    {
        if (!await db.Agents.AnyAsync(a => a.Id == agentId, ct)) return TypedResults.NotFound();
        var plan = new AgentPlan { AgentId = agentId, Name = "" };
        await Apply(plan, input, db, ct);
        db.Plans.Add(plan);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/agents/{agentId}/plans/{plan.Id}", PlanView.Of(plan));
    }

    /// <summary>The plan edited in place, or the new version (another id) when the edit changed what accesses on it are billed.</summary>
    private static async Task<Results<Ok<PlanView>, NotFound>> Update(Guid agentId, Guid id, PlanInput input, RegistryDb db,
        ICatalogUse use, CancellationToken ct)
    {
        if (await db.Plans.FirstOrDefaultAsync(p => p.AgentId == agentId && p.Id == id, ct) is not { } plan) return TypedResults.NotFound();
        var edited = await EditAsync(plan, input, db, use, ct);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(PlanView.Of(edited));
    }

    /// <summary>
    /// Edits a plan. A plan that accesses use (or used: their plan periods refer to it) keeps what it bills: an edit of its
    /// unit, fee or components makes a new version (same name, next number, not yet published) that new orders get once
    /// published, while the old version stays with its accesses, stops being offered, and keeps its Waldur plan, so the
    /// current month's invoice does not change (Waldur itself would apply a price change to plans in use from the next
    /// period). Other edits (name, description, offered or not) apply in place. Returns the plan that holds the edit;
    /// the caller saves.
    /// </summary>
    internal static async Task<AgentPlan> EditAsync(AgentPlan plan, PlanInput input, RegistryDb db, ICatalogUse use, CancellationToken ct)
    {
        if (!plan.IsCurrent)
            throw new ConflictException("plan-replaced", $"Version {plan.Version} of the plan was replaced; edit the current version.");
        var next = new AgentPlan { AgentId = plan.AgentId, Name = "", Version = plan.Version + 1 };
        await Apply(next, input, db, ct, replaces: plan.Id);
        if (!await use.PlanInUseAsync(plan.Id, orWas: true, ct) || !BillsDifferently(plan, next))
        {
            await Apply(plan, input, db, ct);
            return plan;
        }
        db.Plans.Add(next);
        plan.ReplacedById = next.Id;
        plan.IsActive = false;
        return next;
    }

    private static bool BillsDifferently(AgentPlan a, AgentPlan b) =>
        a.Unit != b.Unit || a.UnitPrice != b.UnitPrice
        || System.Text.Json.JsonSerializer.Serialize(a.Components) != System.Text.Json.JsonSerializer.Serialize(b.Components);

    private static async Task<Results<NoContent, NotFound>> Delete(Guid agentId, Guid id, RegistryDb db, ICatalogUse use,
        CancellationToken ct)
    {
        if (await db.Plans.FirstOrDefaultAsync(p => p.AgentId == agentId && p.Id == id, ct) is not { } plan) return TypedResults.NotFound();
        if (await use.PlanInUseAsync(id, orWas: false, ct))
            throw new ConflictException("plan-in-use", "The plan has subscriptions; deactivate it instead of deleting it.");
        db.Plans.Remove(plan);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    internal static async Task Apply(AgentPlan plan, PlanInput input, RegistryDb db, CancellationToken ct, Guid? replaces = null)
    {
        var components = input.Components ?? [];
        var duplicate = components.GroupBy(c => c.Type).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new FieldException("components", $"Component type '{duplicate.Key}' appears twice.");
        // Another current plan, or a replaced version that holds the same name and version number.
        if (await db.Plans.AnyAsync(p => p.AgentId == plan.AgentId && p.Name == input.Name.Trim() && p.Id != plan.Id && p.Id != replaces
                && (p.ReplacedById == null || p.Version == plan.Version), ct))
            throw new ConflictException("duplicate-name", $"The agent already has a plan named '{input.Name.Trim()}'.");
        plan.Name = input.Name.Trim();
        plan.Description = input.Description ?? "";
        plan.Unit = input.Unit ?? "month";
        plan.UnitPrice = input.UnitPrice;
        plan.IsActive = input.IsActive ?? true;
        plan.Components = components.Select(c => new PlanComponent
        {
            Type = c.Type, Name = c.Name.Trim(), MeasuredUnit = c.MeasuredUnit ?? "", BillingType = c.BillingType ?? "usage",
            Metric = c.Metric ?? c.Type, UnitSize = c.UnitSize ?? 1, Price = c.Price, Limit = c.Limit, HardLimit = c.HardLimit,
        }).ToList();
    }
}
