using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using AgentRegistry.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace AgentRegistry.Identity;

public sealed class SessionOptions
{
    public const string Section = "Identity:Sessions";
    /// <summary>How long an account's current stamp is trusted without asking the database. Changes made through the
    /// registry are seen at once (on every replica with Redis); this only bounds changes made around it.</summary>
    [System.ComponentModel.DataAnnotations.Range(0, 3600)]
    public int CheckSeconds { get; set; } = 30;
    /// <summary>The longest an OpenID Connect session lasts before the identity provider is asked again, so a changed role
    /// or tenant claim takes effect; the ID token's own lifetime when shorter.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 1440)]
    public int OidcClaimsMinutes { get; set; } = 15;
}

/// <summary>
/// Checks each cookie session against its account: a local session is valid while its stamp is the account's current
/// one (and the account exists and is enabled); an OpenID Connect session until its claims are due to be asked again.
/// The current stamps are cached briefly and forgotten by the save interceptor whenever an account or membership changes.
/// </summary>
public sealed class SessionStamps(IMemoryCache cache, IServiceScopeFactory scopes, IOptions<SessionOptions> options, TimeProvider clock)
    : IForgetsChanges
{
    /// <summary>The authentication property holding when an OpenID Connect session must ask the identity provider again.</summary>
    public const string OidcUntil = ".registry.claims-until";

    public async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        if (context.Principal is not { } principal) return;
        if (await IsCurrentAsync(principal, context.Properties, context.HttpContext.RequestAborted)) return;
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
    }

    private async Task<bool> IsCurrentAsync(ClaimsPrincipal principal, AuthenticationProperties properties, CancellationToken ct)
    {
        if (principal.FindFirst("sub") is not null && principal.FindFirst(RegistryClaims.SessionStamp) is null)
            return properties.Items.TryGetValue(OidcUntil, out var until) && long.TryParse(until, out var seconds)
                && clock.GetUtcNow() < DateTimeOffset.FromUnixTimeSeconds(seconds);
        if (!Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var accountId)
            || principal.FindFirstValue(RegistryClaims.SessionStamp) is not { } stamp) return false;
        var current = await CurrentAsync(accountId, ct);
        return current is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(stamp), Encoding.UTF8.GetBytes(current));
    }

    /// <summary>The account's stamp; null when the account is gone or disabled.</summary>
    private async Task<string?> CurrentAsync(Guid accountId, CancellationToken ct)
    {
        if (cache.TryGetValue((typeof(SessionStamps), accountId), out string? known)) return known;
        await using var scope = scopes.CreateSystemScope("session");
        var db = scope.ServiceProvider.GetRequiredService<RegistryDb>();
        var stamp = await db.LocalAccounts.AsNoTracking().Where(a => a.Id == accountId && !a.IsDisabled)
            .Select(a => a.SecurityStamp).FirstOrDefaultAsync(ct);
        if (options.Value.CheckSeconds > 0) cache.Set((typeof(SessionStamps), accountId), stamp, TimeSpan.FromSeconds(options.Value.CheckSeconds));
        return stamp;
    }

    public IReadOnlyCollection<Type> Watches { get; } = [typeof(LocalAccount), typeof(Membership)];

    public void Forget(IReadOnlyList<(object Entity, EntityState State)> changed)
    {
        foreach (var (entity, _) in changed)
            switch (entity)
            {
                case LocalAccount a: cache.Remove((typeof(SessionStamps), a.Id)); break;
                case Membership m: cache.Remove((typeof(SessionStamps), m.AccountId)); break;
            }
    }

    /// <summary>Ends every session of the account now (sign-out): its stamp changes, so a replayed cookie is refused.</summary>
    public async Task EndAsync(Guid accountId, CancellationToken ct)
    {
        await using var scope = scopes.CreateSystemScope("sign-out");
        var db = scope.ServiceProvider.GetRequiredService<RegistryDb>();
        if (await db.LocalAccounts.FirstOrDefaultAsync(a => a.Id == accountId, ct) is not { } account) return;
        account.EndSessions();
        await db.SaveChangesAsync(ct);
    }
}
