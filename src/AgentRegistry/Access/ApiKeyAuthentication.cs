using System.Security.Claims;
using System.Text.Encodings.Web;
using AgentRegistry.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AgentRegistry.Access;

/// <summary>Authenticates <c>Authorization: Bearer ar_live_...</c>; answers failures with a problem type naming the defect.</summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    ApiKeyCache cache, ApiKeyUsageTracker usage, IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    private const string FailureItem = "api-key-failure";

    public static bool IsApiKeyHeader(string? authorization) =>
        authorization is not null && authorization.StartsWith("Bearer ar_", StringComparison.OrdinalIgnoreCase);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (header is null || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.NoResult();
        var key = header.AsSpan(7).Trim();

        switch (ApiKeyFormat.Check(key))
        {
            case ApiKeyDefect.Malformed: return Fail("api-key-malformed", "The API key is not in the ar_live_ format.");
            case ApiKeyDefect.Checksum: return Fail("api-key-checksum", "The API key's checksum does not match; it was mistyped or truncated.");
        }

        var hash = ApiKeyFormat.Hash(key);
        var hashKey = Convert.ToHexString(hash);
        if (!cache.TryGet(hashKey, out var grant))
        {
            grant = await Load(hash);
            cache.Set(hashKey, grant);
        }

        if (grant is null) return Fail("api-key-unknown", "The API key is not known.");
        if (grant.Revoked) return Fail("api-key-revoked", "The API key was revoked.");
        if (grant.ExpiresAt is { } at && at <= TimeProvider.GetUtcNow().UtcDateTime) return Fail("api-key-expired", "The API key has expired.");
        if (grant.Standing.StopAt(TimeProvider.GetUtcNow().UtcDateTime) is { } stop) return Fail(stop.Kind, stop.Reason);

        usage.Touch(grant.KeyId);
        return AuthenticateResult.Success(new AuthenticationTicket(Principal(grant), SchemeName));
    }

    private async Task<ApiKeyGrant?> Load(byte[] hash)
    {
        // Keys are looked up before the caller's tenant is known: the one place that reads across tenants.
        var db = Context.RequestServices.GetRequiredService<RegistryDb>();
        return await db.ApiKeys.IgnoreQueryFilters().AsNoTracking()
            .Where(k => k.Hash == hash)
            .Select(k => new ApiKeyGrant(k.Id, k.TenantId, k.AccessId, k.Access!.AgentId, k.Prefix, k.Scopes.ToArray(),
                k.ExpiresAt, k.RevokedAt != null,
                new AccessStanding(k.Access.State, k.Access.Tenant!.IsBlocked, k.Access.Project!.IsRemoved, k.Access.Project.EndDate)))
            .FirstOrDefaultAsync(Context.RequestAborted);
    }

    private static ClaimsPrincipal Principal(ApiKeyGrant grant)
    {
        var claims = new List<Claim>(6 + grant.Scopes.Length)
        {
            new(ClaimTypes.Name, grant.Prefix),
            new(RegistryClaims.Actor, $"api-key:{grant.Prefix}"),
            new(RegistryClaims.Tenant, grant.TenantId.ToString()),
            new(RegistryClaims.AccessId, grant.AccessId.ToString()),
            new(RegistryClaims.ApiKeyId, grant.KeyId.ToString()),
            new(RegistryClaims.AgentId, grant.AgentId.ToString()),
        };
        foreach (var scope in grant.Scopes) claims.Add(new Claim(RegistryClaims.Scope, scope));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
    }

    private AuthenticateResult Fail(string kind, string message)
    {
        Context.Items[FailureItem] = (kind, message);
        return AuthenticateResult.Fail(message);
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var (kind, message) = Context.Items[FailureItem] as (string, string)? ?? ("unauthenticated", "An API key is required.");
        Response.StatusCode = 401;
        Response.Headers.WWWAuthenticate = "Bearer";
        await Write(401, kind, message);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Write(403, "insufficient-scope", "The API key does not have the scope this endpoint needs.");

    private async Task Write(int status, string kind, string title)
    {
        Response.StatusCode = status;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Status = status, Type = Problems.Type(kind), Title = title },
        });
    }
}
