using System.ComponentModel.DataAnnotations;
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

/// <summary>The categories API; <see cref="MapCatalog"/> maps the catalog's other APIs (agents, plans) beside it.</summary>
internal static class CategoriesApi
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
        var category = new AgentCategory { Name = "", Slug = "" };
        await Apply(category, input, db, ct);
        db.Categories.Add(category);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/categories/{category.Id}", CategoryView.Of(category));
    }

    private static async Task<Results<Ok<CategoryView>, NotFound>> UpdateCategory(Guid id, CategoryInput input, RegistryDb db, CancellationToken ct)
    {
        if (await db.Categories.FindAsync([id], ct) is not { } category) return TypedResults.NotFound();
        await Apply(category, input, db, ct);
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

    /// <summary>Checks the input against the other categories and copies it onto <paramref name="category"/>; shared with the admin.</summary>
    internal static async Task Apply(AgentCategory category, CategoryInput input, RegistryDb db, CancellationToken ct)
    {
        if (await db.Categories.AnyAsync(c => c.Slug == input.Slug && c.Id != category.Id, ct))
            throw new ConflictException("duplicate-slug", $"A category with slug '{input.Slug}' already exists.");
        category.Name = input.Name.Trim();
        category.Slug = input.Slug;
        category.Description = input.Description ?? "";
    }
}
