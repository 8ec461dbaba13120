using AgentRegistry.Access;
using AgentRegistry.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Admin.ApiKeys;

public sealed class RotateModel(RegistryDb db, ApiKeyService keys) : AdminFormPage
{
    [BindProperty(SupportsGet = true)] public Guid Id { get; set; }
    [BindProperty] public int? OverlapHours { get; set; }
    public ApiKey Key { get; private set; } = null!;
    public IssuedKey? Issued { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Id == Id, ct) is not { } key) return NotFound();
        Key = key;
        OverlapHours = keys.DefaultOverlapHours;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Id == Id, ct) is not { } key) return NotFound();
        Key = key;
        if (!Validate(new RotateInput(OverlapHours), prefix: "")) return Page();
        await TryAsync(async () =>
        {
            var next = (await keys.RotateAsync(Id, null, OverlapHours, ct))!;
            Issued = new IssuedKey(next.Key, next.Plaintext, key.AccessId);
            Response.Headers.CacheControl = "no-store";
        });
        return Page();
    }
}
