using System.ComponentModel.DataAnnotations;
using AgentRegistry.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Tenancy;

public sealed record TenantInput(
    [property: Required, StringLength(200, MinimumLength = 1)] string Name,
    [property: Required, StringLength(60, MinimumLength = 1), RegularExpression(Slugs.Pattern, ErrorMessage = Slugs.Message)] string Slug,
    [property: EmailAddress, StringLength(254)] string? Email,
    Guid? WaldurCustomerUuid,
    bool? IsBlocked);

public sealed record TenantView(Guid Id, string Name, string Slug, string? Email, Guid? WaldurCustomerUuid, bool IsBlocked,
    DateTime CreatedAt, DateTime UpdatedAt)
{
    public static TenantView Of(Tenant t) => new(t.Id, t.Name, t.Slug, t.Email, t.WaldurCustomerUuid, t.IsBlocked, t.CreatedAt, t.UpdatedAt);
}

public sealed record ProjectInput(
    [property: Required, StringLength(200, MinimumLength = 1)] string Name,
    Guid? WaldurProjectUuid,
    DateOnly? EndDate);

public sealed record ProjectView(Guid Id, Guid TenantId, string Name, Guid? WaldurProjectUuid, DateOnly? EndDate, bool IsRemoved, DateTime CreatedAt)
{
    public static ProjectView Of(TenantProject p) => new(p.Id, p.TenantId, p.Name, p.WaldurProjectUuid, p.EndDate, p.IsRemoved, p.CreatedAt);
}

internal static class TenancyApi
{
    public static IEndpointRouteBuilder MapTenancy(this IEndpointRouteBuilder routes)
    {
        // Members see only their own tenant: the data layer filters Tenants and Projects by the caller.
        var tenants = routes.MapGroup("/api/v1/tenants").WithTags("Tenancy").RequireAuthorization(Policies.Person);
        tenants.MapGet("/", List);
        tenants.MapGet("/{id:guid}", Get);
        tenants.MapPost("/", Create).RequireAuthorization(Policies.Operator);
        tenants.MapPut("/{id:guid}", Update).RequireAuthorization(Policies.Operator);
        tenants.MapGet("/{id:guid}/projects", ListProjects);
        tenants.MapGet("/{id:guid}/projects/{projectId:guid}", GetProject);
        tenants.MapPost("/{id:guid}/projects", CreateProject).RequireAuthorization(Policies.Operator);
        tenants.MapPut("/{id:guid}/projects/{projectId:guid}", UpdateProject).RequireAuthorization(Policies.Operator);
        return routes;
    }

    private static Task<Paged<TenantView>> List(RegistryDb db, [AsParameters] PageRequest page, string? search, CancellationToken ct) =>
        db.Tenants.AsNoTracking()
            .Where(t => search == null || t.Name.Contains(search) || t.Slug.Contains(search))
            .OrderBy(t => t.Name)
            .ToPageAsync(page, TenantView.Of, ct);

    private static async Task<Results<Ok<TenantView>, NotFound>> Get(Guid id, RegistryDb db, CancellationToken ct) =>
        await db.Tenants.FindAsync([id], ct) is { } t ? TypedResults.Ok(TenantView.Of(t)) : TypedResults.NotFound();

    private static async Task<Created<TenantView>> Create(TenantInput input, RegistryDb db, CancellationToken ct)
    {
        var tenant = new Tenant { Name = "", Slug = "" };
        await Apply(tenant, input, db, ct);
        db.Tenants.Add(tenant);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/tenants/{tenant.Id}", TenantView.Of(tenant));
    }

    private static async Task<Results<Ok<TenantView>, NotFound>> Update(Guid id, TenantInput input, RegistryDb db, CancellationToken ct)
    {
        if (await db.Tenants.FindAsync([id], ct) is not { } tenant) return TypedResults.NotFound();
        await Apply(tenant, input, db, ct);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(TenantView.Of(tenant));
    }

    internal static async Task Apply(Tenant tenant, TenantInput input, RegistryDb db, CancellationToken ct)
    {
        if (await db.Tenants.AnyAsync(t => t.Slug == input.Slug && t.Id != tenant.Id, ct))
            throw new ConflictException("duplicate-slug", $"A tenant with slug '{input.Slug}' already exists.");
        if (input.WaldurCustomerUuid is { } uuid && await db.Tenants.AnyAsync(t => t.WaldurCustomerUuid == uuid && t.Id != tenant.Id, ct))
            throw new ConflictException("duplicate-waldur-uuid", "Another tenant already mirrors this Waldur customer.");
        tenant.Name = input.Name.Trim();
        tenant.Slug = input.Slug;
        tenant.Email = input.Email;
        tenant.WaldurCustomerUuid = input.WaldurCustomerUuid;
        tenant.IsBlocked = input.IsBlocked ?? false;
        tenant.UpdatedAt = db.Clock.GetUtcNow().UtcDateTime;
    }

    private static async Task<Results<Ok<List<ProjectView>>, NotFound>> ListProjects(Guid id, RegistryDb db, CancellationToken ct)
    {
        if (!await db.Tenants.AnyAsync(t => t.Id == id, ct)) return TypedResults.NotFound();
        var projects = await db.Projects.AsNoTracking().Where(p => p.TenantId == id).OrderBy(p => p.Name).ToListAsync(ct);
        return TypedResults.Ok(projects.Select(ProjectView.Of).ToList());
    }

    private static async Task<Results<Ok<ProjectView>, NotFound>> GetProject(Guid id, Guid projectId, RegistryDb db, CancellationToken ct) =>
        await db.Projects.AsNoTracking().FirstOrDefaultAsync(p => p.TenantId == id && p.Id == projectId, ct) is { } p
            ? TypedResults.Ok(ProjectView.Of(p)) : TypedResults.NotFound();

    private static async Task<Results<Created<ProjectView>, NotFound>> CreateProject(Guid id, ProjectInput input, RegistryDb db, CancellationToken ct)
    {
        if (!await db.Tenants.AnyAsync(t => t.Id == id, ct)) return TypedResults.NotFound();
        var project = new TenantProject { TenantId = id, Name = "" };
        await Apply(project, input, db, ct);
        db.Projects.Add(project);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/tenants/{id}/projects/{project.Id}", ProjectView.Of(project));
    }

    private static async Task<Results<Ok<ProjectView>, NotFound>> UpdateProject(Guid id, Guid projectId, ProjectInput input, RegistryDb db, CancellationToken ct)
    {
        if (await db.Projects.FirstOrDefaultAsync(p => p.TenantId == id && p.Id == projectId, ct) is not { } project) return TypedResults.NotFound();
        await Apply(project, input, db, ct);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(ProjectView.Of(project));
    }

    internal static async Task Apply(TenantProject project, ProjectInput input, RegistryDb db, CancellationToken ct)
    {
        if (input.WaldurProjectUuid is { } uuid && await db.Projects.IgnoreQueryFilters().AnyAsync(p => p.WaldurProjectUuid == uuid && p.Id != project.Id, ct))
            throw new ConflictException("duplicate-waldur-uuid", "Another project already mirrors this Waldur project.");
        project.Name = input.Name.Trim();
        project.WaldurProjectUuid = input.WaldurProjectUuid;
        project.EndDate = input.EndDate;
    }
}
