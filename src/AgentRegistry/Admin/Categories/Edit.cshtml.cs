using AgentRegistry.Catalog;
using AgentRegistry.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Admin.Categories;

public sealed class EditModel(RegistryDb db) : AdminFormPage
{
    public sealed class CategoryForm
    {
        public string? Name { get; set; }
        public string? Slug { get; set; }
        public string? Description { get; set; }
    }

    [BindProperty(SupportsGet = true)] public Guid? Id { get; set; }
    [BindProperty] public CategoryForm Form { get; set; } = new();

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (Id is not { } id) return Page();
        if (await db.Categories.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct) is not { } c) return NotFound();
        Form = new CategoryForm { Name = c.Name, Slug = c.Slug, Description = c.Description };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var category = Id is { } id ? await db.Categories.FirstOrDefaultAsync(c => c.Id == id, ct) : new AgentCategory { Name = "", Slug = "" };
        if (category is null) return NotFound();
        var input = new CategoryInput(Form.Name ?? "", Form.Slug ?? "", Form.Description);
        Validate(input);
        var saved = await TryAsync(async () =>
        {
            await CategoriesApi.Apply(category, input, db, ct);
            if (Id is null) db.Categories.Add(category);
            await db.SaveChangesAsync(ct);
        });
        return saved ? Redirect(AdminLinks.Category(category.Id)) : Page();
    }
}
