using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AgentRegistry.Tests.Infrastructure;

/// <summary>
/// A minimal OpenID Connect issuer on a loopback port: discovery document and JWKS over real HTTP,
/// and tokens signed with its RSA key, as Keycloak would issue them.
/// </summary>
public sealed class TestIssuer : IAsyncDisposable
{
    public const string Audience = "agentregistry";
    private readonly RSA _rsa = RSA.Create(2048);
    private readonly RsaSecurityKey _key;
    private WebApplication? _app;

    public string Authority { get; private set; } = "";

    public TestIssuer() => _key = new RsaSecurityKey(_rsa) { KeyId = "test-key" };

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.MapGet("/.well-known/openid-configuration", (HttpContext http) => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = Authority,
            ["jwks_uri"] = $"{Authority}/jwks",
            ["authorization_endpoint"] = $"{Authority}/auth",
            ["token_endpoint"] = $"{Authority}/token",
            ["userinfo_endpoint"] = $"{Authority}/userinfo",
            ["response_types_supported"] = new[] { "code" },
            ["subject_types_supported"] = new[] { "public" },
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
        }));
        _app.MapGet("/auth", (Delegate)Authorize);
        _app.MapPost("/token", (Delegate)TokenEndpoint);
        _app.MapGet("/userinfo", () => Results.Json(SignedInUser));
        _app.MapGet("/jwks", () =>
        {
            var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(_rsa.ExportParameters(false)) { KeyId = _key.KeyId });
            return Results.Json(new { keys = new[] { new { kty = jwk.Kty, kid = jwk.Kid, use = "sig", alg = "RS256", n = jwk.N, e = jwk.E } } });
        });
        await _app.StartAsync();
        Authority = _app.Urls.First().TrimEnd('/');
    }

    public const string ClientId = "agentregistry-web";
    public const string ClientSecret = "test-client-secret";

    /// <summary>Who "signs in" at the authorize endpoint: the claims of the next interactive login.</summary>
    public Dictionary<string, object> SignedInUser { get; set; } = new() { ["sub"] = "nobody" };

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (string Nonce, string Challenge, string RedirectUri)> _codes = new();

    /// <summary>Signs the user in at once; a browser continues (as after Keycloak's login form) with the code posted back.</summary>
    private IResult Authorize(HttpContext http)
    {
        var q = http.Request.Query;
        if (q["client_id"] != ClientId || q["response_type"] != "code" || q["code_challenge_method"] != "S256") return Results.BadRequest();
        var code = Guid.NewGuid().ToString("N");
        _codes[code] = (q["nonce"]!, q["code_challenge"]!, q["redirect_uri"]!);
        var html = $"<form method=\"post\" action=\"{q["redirect_uri"]}\"><input type=\"hidden\" name=\"code\" value=\"{code}\"/>" +
                   $"<input type=\"hidden\" name=\"state\" value=\"{System.Net.WebUtility.HtmlEncode(q["state"])}\"/>" +
                   "<button type=\"submit\">Continue</button></form>";
        return Results.Content(html, "text/html");
    }

    private async Task<IResult> TokenEndpoint(HttpContext http)
    {
        var form = await http.Request.ReadFormAsync();
        if (form["client_secret"] != ClientSecret && !BasicAuthMatches(http)) return Results.Unauthorized();
        if (!_codes.TryRemove(form["code"]!, out var grant) || grant.RedirectUri != form["redirect_uri"]) return Results.BadRequest();
        var challenge = Base64UrlEncoder.Encode(SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(form["code_verifier"]!)));
        if (challenge != grant.Challenge) return Results.BadRequest();
        var claims = new Dictionary<string, object>(SignedInUser) { ["nonce"] = grant.Nonce };
        return Results.Json(new Dictionary<string, object>
        {
            ["access_token"] = Token(SignedInUser), ["id_token"] = Token(claims, audience: ClientId), ["token_type"] = "Bearer", ["expires_in"] = 300,
        });
    }

    private static bool BasicAuthMatches(HttpContext http) =>
        http.Request.Headers.Authorization.ToString() is { } h && h.StartsWith("Basic ", StringComparison.Ordinal)
        && System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(h[6..])) == $"{Uri.EscapeDataString(ClientId)}:{Uri.EscapeDataString(ClientSecret)}";

    /// <summary>A signed access token; <paramref name="signWith"/> lets a test forge one with a foreign key.</summary>
    public string Token(IDictionary<string, object> claims, TimeSpan? lifetime = null, string? audience = Audience, RSA? signWith = null)
    {
        var now = DateTime.UtcNow;
        var expires = now + (lifetime ?? TimeSpan.FromMinutes(5));
        var key = signWith is null ? _key : new RsaSecurityKey(signWith) { KeyId = _key.KeyId };
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Authority,
            Audience = audience,
            IssuedAt = expires < now ? expires.AddMinutes(-10) : now,
            NotBefore = expires < now ? expires.AddMinutes(-10) : now,
            Expires = expires,
            Claims = claims,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        });
    }

    /// <summary>Settings that make the registry accept this issuer's tokens.</summary>
    public void Trust(IDictionary<string, string?> settings)
    {
        settings["Oidc:Authority"] = Authority;
        settings["Oidc:Audience"] = Audience;
        settings["Oidc:RequireHttpsMetadata"] = "false";
        settings["Oidc:ClientId"] = ClientId;
        settings["Oidc:ClientSecret"] = ClientSecret;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
        _rsa.Dispose();
    }
}

/// <summary>The registry trusting a <see cref="TestIssuer"/>.</summary>
public sealed class OidcRegistry<TDatabase> : RegistryApp<TDatabase> where TDatabase : TestDatabase, new()
{
    public TestIssuer Issuer { get; } = new();

    protected override async Task<string?> StartSurroundingsAsync()
    {
        await Issuer.StartAsync();
        return null;
    }

    protected override void Configure(IDictionary<string, string?> settings) => Issuer.Trust(settings);

    protected override ValueTask StopSurroundingsAsync() => Issuer.DisposeAsync();
}
