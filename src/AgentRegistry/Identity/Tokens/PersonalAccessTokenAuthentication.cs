using System.Security.Claims;
using System.Text.Encodings.Web;
using AgentRegistry.Access;
using AgentRegistry.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AgentRegistry.Identity.Tokens;

/// <summary>
/// Authenticates <c>Authorization: Bearer ar_pat_...</c> on the API as the token's owner (role and tenant as when it
/// was made); a read-only token may only GET. A revoked, expired or unknown token, or one whose local account is
/// disabled, gets a 401 problem naming why.
/// </summary>
public sealed class PersonalAccessTokenHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger,
    UrlEncoder encoder, IProblemDetailsService problems) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "PersonalAccessToken";
    private const string FailureItem = "pat-failure";

    public static bool IsTokenHeader(string? authorization) =>
        authorization is not null && authorization.StartsWith("Bearer " + PersonalAccessTokens.Prefix, StringComparison.OrdinalIgnoreCase);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (!IsTokenHeader(header)) return AuthenticateResult.NoResult();
        var secret = header!.AsSpan(7).Trim();
        switch (ApiKeyFormat.Check(secret, PersonalAccessTokens.Prefix))
        {
            case ApiKeyDefect.Malformed: return Fail("token-malformed", "The token is not in the ar_pat_ format.");
            case ApiKeyDefect.Checksum: return Fail("token-checksum", "The token's checksum does not match; it was mistyped or truncated.");
        }
        var hash = ApiKeyFormat.Hash(secret);
        var db = Context.RequestServices.GetRequiredService<RegistryDb>();
        var token = await db.PersonalAccessTokens.AsNoTracking().FirstOrDefaultAsync(t => t.Hash == hash, Context.RequestAborted);
        if (token is null) return Fail("token-unknown", "The token is not known.");
        if (token.RevokedAt is not null) return Fail("token-revoked", "The token was revoked.");
        var now = TimeProvider.GetUtcNow().UtcDateTime;
        if (token.ExpiresAt <= now) return Fail("token-expired", "The token has expired.");
        if (token.AccountId is { } account
            && await db.LocalAccounts.AsNoTracking().AnyAsync(a => a.Id == account && a.IsDisabled, Context.RequestAborted))
            return Fail("token-owner-disabled", "The token's owner is disabled.");
        if (token.LastUsedAt is null || token.LastUsedAt < now.AddMinutes(-1))
            await db.PersonalAccessTokens.Where(t => t.Id == token.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedAt, now), Context.RequestAborted);

        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, token.Owner), new(RegistryClaims.Actor, token.Owner), new(ClaimTypes.Role, token.Role),
            new(RegistryClaims.PersonalToken, token.Id.ToString()),
        };
        if (token.AccountId is { } id) claims.Add(new Claim(ClaimTypes.NameIdentifier, id.ToString()));
        if (token.TenantId is { } tenant) claims.Add(new Claim(RegistryClaims.Tenant, tenant.ToString()));
        claims.AddRange(token.Scopes.Select(s => new Claim(RegistryClaims.Scope, s)));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));
    }

    private AuthenticateResult Fail(string kind, string message)
    {
        Context.Items[FailureItem] = (kind, message);
        return AuthenticateResult.Fail(message);
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var (kind, message) = Context.Items[FailureItem] as (string, string)? ?? ("unauthenticated", "A valid token is required.");
        Response.Headers.WWWAuthenticate = "Bearer";
        return Write(401, kind, message);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) => Write(403, "forbidden", "You may not do this.");

    private Task Write(int status, string kind, string title)
    {
        Response.StatusCode = status;
        return problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Status = status, Type = Problems.Type(kind), Title = title },
        }).AsTask();
    }
}

public static class PersonalAccessTokenScopes
{
    /// <summary>A token without <see cref="TokenScopes.Write"/> reads only: anything but GET and HEAD is refused (403).</summary>
    public static IApplicationBuilder UsePersonalAccessTokenScopes(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var user = http.User;
        if (user.HasClaim(c => c.Type == RegistryClaims.PersonalToken) && !user.HasClaim(RegistryClaims.Scope, TokenScopes.Write)
            && !HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method))
        {
            await Problems.Result(403, "token-insufficient-scope", $"The token is read-only; this needs the {TokenScopes.Write} scope.").ExecuteAsync(http);
            return;
        }
        await next(http);
    });

    public static IServiceCollection AddPersonalAccessTokens(this IServiceCollection services)
    {
        services.AddScoped<PersonalAccessTokens>();
        return services;
    }
}
