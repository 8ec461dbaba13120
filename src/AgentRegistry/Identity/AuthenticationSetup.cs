using AgentRegistry.Access;
using AgentRegistry.Infrastructure;
using AgentRegistry.Infrastructure.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;

namespace AgentRegistry.Identity;

public static class AuthenticationSetup
{
    private const string Selector = "registry";

    public static IServiceCollection AddRegistryAuthentication(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<RegistryIdentityOptions>().BindConfiguration(RegistryIdentityOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<OidcOptions>().BindConfiguration(OidcOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<LoginBackoffOptions>().BindConfiguration(LoginBackoffOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<LoginBackoff>();
        services.AddOptions<SessionOptions>().BindConfiguration(SessionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<SessionStamps>();
        services.AddSingleton<IForgetsChanges>(sp => sp.GetRequiredService<SessionStamps>());
        services.AddOptions<ApiKeyOptions>().BindConfiguration(ApiKeyOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddRateLimitPolicy(RateLimitPolicies.ApiKey, (sp, limits) =>
        {
            var o = sp.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<ApiKeyOptions>>();
            return limits.AllOf(http => http.User.FindFirst(RegistryClaims.ApiKeyId)?.Value is { } key ? ["api-key:" + key] : null,
                () => o.CurrentValue.RequestsPerMinute);
        });
        var oidc = config.GetSection(OidcOptions.Section).Get<OidcOptions>() ?? new OidcOptions();

        services.AddMemoryCache();
        services.AddSingleton<ApiKeyCache>();
        services.AddSingleton<IForgetsChanges>(sp => sp.GetRequiredService<ApiKeyCache>());
        services.AddSingleton<ApiKeyUsageTracker>();
        services.AddHostedService(sp => sp.GetRequiredService<ApiKeyUsageTracker>());
        services.AddSingleton<IClaimsTransformation, OidcClaimsTransformation>();
        services.AddScoped<LocalAccounts>();
        services.AddSingleton<IStartupTask, BootstrapAdmin>();

        var auth = services.AddAuthentication(o =>
            {
                o.DefaultScheme = Selector;
                o.DefaultChallengeScheme = Selector;
            })
            .AddPolicyScheme(Selector, "API key, bearer token or cookie", o => o.ForwardDefaultSelector = http =>
            {
                string? header = http.Request.Headers.Authorization;
                if (Tokens.PersonalAccessTokenHandler.IsTokenHeader(header) && ApiPaths.IsApi(http.Request.Path)) return Tokens.PersonalAccessTokenHandler.SchemeName;
                if (ApiKeyAuthenticationHandler.IsApiKeyHeader(header)) return ApiKeyAuthenticationHandler.SchemeName;
                if (oidc.Enabled && header?.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) == true)
                    return JwtBearerDefaults.AuthenticationScheme;
                if (ApiPaths.IsApi(http.Request.Path)) return header is null ? CookieAuthenticationDefaults.AuthenticationScheme : ApiKeyAuthenticationHandler.SchemeName;
                return CookieAuthenticationDefaults.AuthenticationScheme;
            })
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddScheme<AuthenticationSchemeOptions, Tokens.PersonalAccessTokenHandler>(Tokens.PersonalAccessTokenHandler.SchemeName, null)
            .AddCookie(o =>
            {
                o.Cookie.Name = "agentregistry";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.LoginPath = "/login";
                o.AccessDeniedPath = "/login";
                o.SlidingExpiration = true;
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                if (oidc.Interactive) o.ForwardChallenge = OpenIdConnectDefaults.AuthenticationScheme;
                o.Events.OnValidatePrincipal = c => c.HttpContext.RequestServices.GetRequiredService<SessionStamps>().ValidateAsync(c);
                o.Events.OnRedirectToLogin = c => ApiAware(c, 401, "unauthenticated", "Sign in, or send a bearer token.");
                o.Events.OnRedirectToAccessDenied = c => ApiAware(c, 403, "forbidden", "You may not do this.");
            });

        if (oidc.Enabled)
        {
            auth.AddJwtBearer(o =>
            {
                o.Authority = oidc.Authority;
                o.Audience = oidc.Audience ?? oidc.ClientId;
                o.RequireHttpsMetadata = oidc.RequireHttpsMetadata;
                o.MapInboundClaims = false;
                o.TokenValidationParameters.ValidateAudience = !string.IsNullOrEmpty(o.Audience);
                o.Events = new JwtBearerEvents
                {
                    OnChallenge = async c =>
                    {
                        c.HandleResponse();
                        await WriteProblem(c.HttpContext, 401, "invalid-token", "The bearer token is missing, expired or not issued by the configured issuer.");
                    },
                    OnForbidden = c => WriteProblem(c.HttpContext, 403, "forbidden", "You may not do this."),
                };
            });
        }
        if (oidc.Interactive)
        {
            auth.AddOpenIdConnect(o =>
            {
                o.Authority = oidc.Authority;
                o.ClientId = oidc.ClientId;
                o.ClientSecret = oidc.ClientSecret;
                o.RequireHttpsMetadata = oidc.RequireHttpsMetadata;
                o.ResponseType = "code";
                o.UsePkce = true;
                o.MapInboundClaims = false;
                o.SaveTokens = false;
                o.GetClaimsFromUserInfoEndpoint = true;
                o.Scope.Add("profile");
                o.Scope.Add("email");
                o.SignInScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                o.TokenValidationParameters.NameClaimType = "preferred_username";
                // Secure whenever the request is (behind TLS, or a trusted proxy that says so).
                o.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                // The session holds the claims of this sign-in: it lasts until they are due to be asked again (at most
                // Identity:Sessions:OidcClaimsMinutes, or the ID token's lifetime), so a changed role or tenant takes effect.
                o.Events.OnTicketReceived = c =>
                {
                    var now = c.HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
                    var until = now.AddMinutes(c.HttpContext.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<SessionOptions>>().Value.OidcClaimsMinutes);
                    if (c.Principal?.FindFirst("exp")?.Value is { } exp && long.TryParse(exp, out var seconds)
                        && DateTimeOffset.FromUnixTimeSeconds(seconds) is var expires && expires < until && expires > now) until = expires;
                    c.Properties!.Items[SessionStamps.OidcUntil] = until.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
                    return Task.CompletedTask;
                };
            });
        }

        services.Configure<CookiePolicyOptions>(o =>
        {
            // SameSite=None (the sign-in's correlation and nonce cookies) needs Secure, which a plain-http request (local
            // development, tests) cannot have: browsers would drop the cookie and single sign-on would fail. There, Lax
            // keeps a same-site sign-in working; over https nothing changes.
            o.OnAppendCookie = c => LaxWhenInsecure(c.CookieOptions);
            o.OnDeleteCookie = c => LaxWhenInsecure(c.CookieOptions);
        });

        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Operator, p => p.RequireAuthenticatedUser().RequireRole(Roles.Operator))
            .AddPolicy(Policies.Person, p => p.RequireAuthenticatedUser().RequireRole(Roles.Operator, Roles.Member))
            .AddPolicy(Policies.ChatKey, p => KeyWithScope(p, ApiKeyScopes.Chat))
            .AddPolicy(Policies.UsageWriteKey, p => KeyWithScope(p, ApiKeyScopes.UsageWrite));
        return services;
    }

    private static void LaxWhenInsecure(CookieOptions cookie)
    {
        if (cookie.SameSite == SameSiteMode.None && !cookie.Secure) cookie.SameSite = SameSiteMode.Lax;
    }

    private static void KeyWithScope(AuthorizationPolicyBuilder p, string scope) => p
        .AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName)
        .RequireAuthenticatedUser()
        .RequireClaim(RegistryClaims.Scope, scope);

    private static Task ApiAware(RedirectContext<CookieAuthenticationOptions> c, int status, string kind, string title)
    {
        if (!ApiPaths.IsApi(c.Request.Path))
        {
            c.Response.Redirect(c.RedirectUri);
            return Task.CompletedTask;
        }
        return WriteProblem(c.HttpContext, status, kind, title);
    }

    private static async Task WriteProblem(HttpContext http, int status, string kind, string title)
    {
        http.Response.StatusCode = status;
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = { Status = status, Type = Problems.Type(kind), Title = title },
        });
    }
}
