using AgentRegistry.Identity.Tokens;
using Microsoft.AspNetCore.Mvc;

namespace AgentRegistry.Admin.Tokens;

public sealed class TokenForm
{
    public string? Name { get; set; }
    public List<string>? Scopes { get; set; }
    public int? ExpiresInDays { get; set; } = PersonalAccessTokens.DefaultDays;
}

/// <summary>
/// Personal access tokens: the operator makes one for themselves (shown once, in the POST's answer) and sees and
/// revokes everyone's.
/// </summary>
public sealed class IndexModel(PersonalAccessTokens tokens, TimeProvider clock) : AdminFormPage
{
    [BindProperty] public TokenForm Form { get; set; } = new();
    public IssuedToken? Issued { get; private set; }
    public IReadOnlyList<TokenView> All { get; private set; } = [];
    public DateTime Now { get; } = clock.GetUtcNow().UtcDateTime;

    public async Task OnGetAsync(CancellationToken ct) => All = await tokens.ListAsync(User, all: true, ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await TryAsync(async () =>
        {
            Issued = await tokens.IssueAsync(User, Form.Name, Form.Scopes, Form.ExpiresInDays, ct);
            Response.Headers.CacheControl = "no-store";
        });
        All = await tokens.ListAsync(User, all: true, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(Guid id, CancellationToken ct)
    {
        if (!await tokens.RevokeAsync(User, id, ct)) return NotFound();
        return RedirectToPage();
    }
}
