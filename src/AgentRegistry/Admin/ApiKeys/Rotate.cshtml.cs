using AgentRegistry.Access;
using AgentRegistry.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AgentRegistry.Admin.ApiKeys;

public sealed class RotateModel(RegistryDb db, AccessLifecycle lifecycle, ApiKeyCache cache, IOptions<ApiKeyOptions> options) : AdminFormPage
{
    [BindProperty(SupportsGet = true)] public Guid Id { get; set; }
    [BindProperty] public int? OverlapHours { get; set; }
    public ApiKey Key { get; private set; } = null!;
    public IssuedKey? Issued { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Id == Id, ct) is not { } key) return NotFound();
        Key = key;
        OverlapHours = options.Value.RotationOverlapHours;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == Id, ct) is not { } key) return NotFound();
        var access = await db.Accesses.FirstAsync(a => a.Id == key.AccessId, ct);
        Key = key;
        if (!Validate(new RotateInput(OverlapHours), prefix: "")) return Page();
        await TryAsync(async () =>
        {
            var (next, plaintext) = await ApiKeysApi.RotateAsync(access, key, OverlapHours ?? options.Value.RotationOverlapHours, db, lifecycle, cache, ct);
            Issued = new IssuedKey(next, plaintext, access.Id);
            Response.Headers.CacheControl = "no-store";
        });
        return Page();
    }
}
