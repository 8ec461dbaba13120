using AgentRegistry.Access;
using AgentRegistry.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Admin.ApiKeys;

/// <summary>Issues a key and answers the POST with its plaintext; nothing stores it, so it is never shown again.</summary>
public sealed class IssueModel(RegistryDb db, ApiKeyService keys) : AdminFormPage
{
    [BindProperty(SupportsGet = true)] public Guid AccessId { get; set; }
    [BindProperty] public IssueKeyForm Form { get; set; } = new();
    public string AccessName { get; private set; } = "";
    public IssuedKey? Issued { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await db.Accesses.AsNoTracking().FirstOrDefaultAsync(a => a.Id == AccessId, ct) is not { } access) return NotFound();
        AccessName = access.Name;
        Form.AccessId = AccessId;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await db.Accesses.AsNoTracking().FirstOrDefaultAsync(a => a.Id == AccessId, ct) is not { } access) return NotFound();
        AccessName = access.Name;
        Form.AccessId = AccessId;
        var expires = Form.ExpiresAt is { } at ? DateTime.SpecifyKind(at, DateTimeKind.Utc) : (DateTime?)null;
        var input = new ApiKeyInput(Form.Name ?? "", Form.Scopes ?? [], expires);
        Validate(input);
        await TryAsync(async () =>
        {
            var issued = (await keys.IssueAsync(AccessId, input, ct))!;
            Issued = new IssuedKey(issued.Key, issued.Plaintext, AccessId);
            Response.Headers.CacheControl = "no-store";
        });
        return Page();
    }
}
