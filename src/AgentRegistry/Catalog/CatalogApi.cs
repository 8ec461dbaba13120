using System.ComponentModel.DataAnnotations;
using AgentRegistry.Identity;
using AgentRegistry.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Catalog;

public sealed record CategoryInput(
    [property: Required, StringLength(120, MinimumLength = 1)] string Name,
    [property: Required, StringLength(60, MinimumLength = 1), RegularExpression(Slugs.Pattern, ErrorMessage = Slugs.Message)] string Slug,
    [property: StringLength(4000)] string? Description);

public sealed record CategoryView(Guid Id, string Name, string Slug, string Description, DateTime CreatedAt)
{
    public static CategoryView Of(AgentCategory c) => new(c.Id, c.Name, c.Slug, c.Description, c.CreatedAt);
}

internal static class CatalogApi
{
    public static IEndpointRouteBuilder MapCatalog(this IEndpointRouteBuilder routes)
    {
        var categories = routes.MapGroup("/api/v1/categories").WithTags("Catalog").RequireAuthorization(Policies.Person);
        categories.MapGet("/", ListCategories);
        categories.MapGet("/{id:guid}", GetCategory);
        categories.MapPost("/", CreateCategory).RequireAuthorization(Policies.Operator);
        categories.MapPut("/{id:guid}", UpdateCategory).RequireAuthorization(Policies.Operator);
        categories.MapDelete("/{id:guid}", DeleteCategory).RequireAuthorization(Policies.Operator);
        routes.MapAgents();
        routes.MapPlans();
        return routes;
    }

    private static Task<Paged<CategoryView>> ListCategories(RegistryDb db, [AsParameters] PageRequest page, string? search, CancellationToken ct) =>
        db.Categories.AsNoTracking()
            .Where(c => search == null || c.Name.Contains(search) || c.Slug.Contains(search))
            .OrderBy(c => c.Name)
            .ToPageAsync(page, CategoryView.Of, ct);

    private static async Task<Results<Ok<CategoryView>, NotFound>> GetCategory(Guid id, RegistryDb db, CancellationToken ct) =>
        await db.Categories.FindAsync([id], ct) is { } c ? TypedResults.Ok(CategoryView.Of(c)) : TypedResults.NotFound();

    private static async Task<Created<CategoryView>> CreateCategory(CategoryInput input, RegistryDb db, CancellationToken ct)
    {
        await EnsureUniqueSlug(db, input.Slug, null, ct);
        var category = new AgentCategory { Name = input.Name.Trim(), Slug = input.Slug, Description = input.Description ?? "" };
        db.Categories.Add(category);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/categories/{category.Id}", CategoryView.Of(category));
    }

    private static async Task<Results<Ok<CategoryView>, NotFound>> UpdateCategory(Guid id, CategoryInput input, RegistryDb db, CancellationToken ct)
    {
        if (await db.Categories.FindAsync([id], ct) is not { } category) return TypedResults.NotFound();
        await EnsureUniqueSlug(db, input.Slug, id, ct);
        category.Name = input.Name.Trim();
        category.Slug = input.Slug;
        category.Description = input.Description ?? "";
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(CategoryView.Of(category));
    }

    private static async Task<Results<NoContent, NotFound>> DeleteCategory(Guid id, RegistryDb db, CancellationToken ct)
    {
        if (await db.Categories.FindAsync([id], ct) is not { } category) return TypedResults.NotFound();
        if (await db.Agents.AnyAsync(a => a.CategoryId == id, ct))
            throw new ConflictException("category-in-use", "The category still has agents; move or delete them first.");
        db.Categories.Remove(category);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    private static async Task EnsureUniqueSlug(RegistryDb db, string slug, Guid? self, CancellationToken ct)
    {
        if (await db.Categories.AnyAsync(c => c.Slug == slug && c.Id != self, ct))
            throw new ConflictException("duplicate-slug", $"A category with slug '{slug}' already exists.");
    }
}
