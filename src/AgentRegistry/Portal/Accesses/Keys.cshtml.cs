using AgentRegistry.Access;
using Microsoft.AspNetCore.Mvc;

namespace AgentRegistry.Portal.Accesses;

/// <summary>API keys: create with scopes and expiry, the plaintext shown once, rotate with overlap, revoke, last use.</summary>
public sealed class KeysModel(ApiKeyService keys) : PortalPage
{
    public sealed class KeyForm
    {
        public string? Name { get; set; } = "default";
        public List<string> Scopes { get; set; } = [.. ApiKeyScopes.Default];
        /// <summary>The last UTC day the key works; empty: no expiry.</summary>
        public DateOnly? ValidUntil { get; set; }
    }

    [BindProperty] public KeyForm Form { get; set; } = new();
    [BindProperty(SupportsGet = true)] public bool Revoked { get; set; }
    public List<ApiKeyView> Keys { get; private set; } = [];
    public NewApiKey? Issued { get; private set; }
    public string? Replaced { get; private set; }
    public int DefaultOverlapHours => keys.DefaultOverlapHours;

    public static readonly IReadOnlyList<(string Scope, string Meaning)> Scopes =
    [
        (ApiKeyScopes.Chat, "chat with the agent (REST, OpenAI-compatible)"),
        (ApiKeyScopes.UsageWrite, "send usage events from your own runtime"),
        (ApiKeyScopes.UsageRead, "read usage"),
    ];

    public async Task OnGetAsync(CancellationToken ct) => Keys = await keys.ListAsync(Access.Id, ct) ?? [];

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var input = new ApiKeyInput(Form.Name ?? "", Form.Scopes,
            Form.ValidUntil?.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc));
        Validate(input);
        if (!await TryAsync(async () => Issued = await keys.IssueAsync(Access.Id, input, ct)))
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return await ShowAsync(ct);
    }

    public async Task<IActionResult> OnPostRotateAsync(Guid keyId, int? overlapHours, CancellationToken ct)
    {
        Validate(new RotateInput(overlapHours), prefix: "Rotate");
        var rotated = await TryAsync(async () => Issued = await keys.RotateAsync(keyId, Access.Id, overlapHours, ct));
        if (rotated && Issued is null) return NotFoundPage();
        if (!rotated) Response.StatusCode = StatusCodes.Status409Conflict;
        else Replaced = $"The old key works for {overlapHours ?? DefaultOverlapHours} more hour(s), then stops.";
        return await ShowAsync(ct);
    }

    public async Task<IActionResult> OnPostRevealAsync(Guid keyId, CancellationToken ct)
    {
        var revealed = await TryAsync(async () => Issued = await keys.RevealAsync(keyId, Access.Id, ct));
        if (revealed && Issued is null) return NotFoundPage();
        if (!revealed) Response.StatusCode = StatusCodes.Status409Conflict;
        return await ShowAsync(ct);
    }

    public async Task<IActionResult> OnPostRevokeAsync(Guid keyId, CancellationToken ct) =>
        await keys.RevokeAsync(keyId, Access.Id, ct) is null ? NotFoundPage() : Redirect($"/portal/accesses/{Access.Id}/keys?revoked=true");

    protected override string FormKey(string field) => field == "expires_at" ? "Form.ValidUntil" : base.FormKey(field);

    private async Task<IActionResult> ShowAsync(CancellationToken ct)
    {
        // A page that shows a plaintext key is never stored by a browser or proxy.
        if (Issued is not null) Response.Headers.CacheControl = "no-store";
        await OnGetAsync(ct);
        return Page();
    }
}
