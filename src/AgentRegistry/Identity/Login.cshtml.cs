using System.Security.Claims;
using AgentRegistry.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AgentRegistry.Identity;

[AllowAnonymous]
public sealed class LoginModel(IServiceScopeFactory scopes, IOptions<RegistryIdentityOptions> identity, IOptions<OidcOptions> oidc,
    LoginBackoff backoff) : PageModel
{
    [BindProperty] public string? Email { get; set; }
    [BindProperty] public string? Password { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    public string? Error { get; private set; }
    public bool LocalLogin => identity.Value.LocalLogin;
    public bool SingleSignOn => oidc.Value.Interactive;

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!LocalLogin || string.IsNullOrEmpty(Email) || string.IsNullOrEmpty(Password))
            return Fail();

        // Locked (this email or this address failed too often): refused without looking at the password.
        var email = Email.Trim().ToLowerInvariant();
        var address = Infrastructure.RateLimiting.RateLimits.Address(HttpContext);
        if (await backoff.LockedForAsync(email, address) is { } wait) return Locked(wait);

        // Sign-in reads an account before anyone is known: a system read, limited to this lookup.
        await using var scope = scopes.CreateSystemScope("login");
        var db = scope.ServiceProvider.GetRequiredService<RegistryDb>();
        var account = await db.LocalAccounts.FirstOrDefaultAsync(a => a.Email == email || a.Email == Email.Trim(), ct);
        var hasher = new PasswordHasher<LocalAccount>();
        if (account is null || account.IsDisabled)
        {
            // Same work whether or not the account exists, so timing does not reveal which emails are registered.
            hasher.VerifyHashedPassword(new LocalAccount { Email = "", PasswordHash = "", Role = "" }, DummyHash, Password);
            await backoff.FailedAsync(db, email, address, account?.Id, ct);
            return Fail();
        }
        if (hasher.VerifyHashedPassword(account, account.PasswordHash, Password) == PasswordVerificationResult.Failed)
        {
            await backoff.FailedAsync(db, email, address, account.Id, ct);
            return Fail();
        }
        await backoff.SucceededAsync(email);

        account.LastLoginAt = db.Clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        var tenants = await scope.ServiceProvider.GetRequiredService<LocalAccounts>().TenantsOfAsync(account, ct);
        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, Principal(account, tenants));
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : account.Role == Roles.Operator ? "/admin" : "/portal");
    }

    public IActionResult OnGetSso(string? returnUrl) => SingleSignOn
        ? Challenge(new AuthenticationProperties { RedirectUri = Url.IsLocalUrl(returnUrl) ? returnUrl : "/" },
            Microsoft.AspNetCore.Authentication.OpenIdConnect.OpenIdConnectDefaults.AuthenticationScheme)
        : NotFound();

    public async Task<IActionResult> OnPostLogoutAsync([FromServices] SessionStamps sessions, CancellationToken ct)
    {
        // Ends the session on the server too: a copy of the cookie replayed later is refused.
        if (User.FindFirst(RegistryClaims.SessionStamp) is not null && Guid.TryParse(User.FindFirstValue(ClaimTypes.NameIdentifier), out var accountId))
            await sessions.EndAsync(accountId, ct);
        await HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return LocalRedirect("/login");
    }

    /// <summary>The signed-in person: a member carries one tenant claim per tenant, the home tenant first.</summary>
    internal static ClaimsPrincipal Principal(LocalAccount account, IEnumerable<Guid> tenants)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, account.Id.ToString()),
            new(ClaimTypes.Name, account.Email),
            new(ClaimTypes.Role, account.Role),
            new(RegistryClaims.Actor, account.Email),
            new(RegistryClaims.SessionStamp, account.SecurityStamp),
        };
        claims.AddRange(tenants.Select(t => new Claim(RegistryClaims.Tenant, t.ToString())));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme));
    }

    private PageResult Fail()
    {
        Error = "The email or password is not right.";
        Response.StatusCode = 400;
        return Page();
    }

    private PageResult Locked(TimeSpan wait)
    {
        var minutes = Math.Max(1, (int)Math.Ceiling(wait.TotalMinutes));
        Error = $"Too many failed sign-ins. Try again in {minutes} minute{(minutes == 1 ? "" : "s")}.";
        Response.StatusCode = 429;
        Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Page();
    }

    private static readonly string DummyHash =
        new PasswordHasher<LocalAccount>().HashPassword(new LocalAccount { Email = "", PasswordHash = "", Role = "" }, Guid.NewGuid().ToString());
}
