using AgentRegistry.Tests.Infrastructure;
using AgentRegistry.Tests.Waldur;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace AgentRegistry.Tests.Portal;

/// <summary>
/// What the portal's journey needs beside the registry and the emulated Waldur: the OpenID Connect issuer people sign
/// in with, Waldur's web interface for the links, and the Content-Security-Policy the portal and admin must work under.
/// </summary>
public sealed class PortalSurroundings : IAsyncDisposable
{
    /// <summary>No inline scripts, styles or event handlers: only the registry's own files.</summary>
    public const string Policy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "object-src 'none'; base-uri 'self'; frame-ancestors 'none'";

    public TestIssuer Issuer { get; } = new();
    public Homeport Homeport { get; } = new();

    public async Task StartAsync()
    {
        await Issuer.StartAsync();
        await Homeport.StartAsync();
    }

    public void Configure(IDictionary<string, string?> settings)
    {
        Issuer.Trust(settings);
        settings["Waldur:HomeUrl"] = Homeport.Url;
    }

    /// <summary>Every portal, admin and sign-in page answers with <see cref="Policy"/>, as the host will in production.</summary>
    public static void Enforce(IWebHostBuilder builder) =>
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter, CspStartupFilter>());

    public async ValueTask DisposeAsync()
    {
        await Issuer.DisposeAsync();
        await Homeport.DisposeAsync();
    }

    private sealed class CspStartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((http, proceed) =>
            {
                var path = http.Request.Path;
                if (path.StartsWithSegments("/portal") || path.StartsWithSegments("/admin") || path.StartsWithSegments("/login"))
                    http.Response.OnStarting(() =>
                    {
                        http.Response.Headers.ContentSecurityPolicy = Policy;
                        return Task.CompletedTask;
                    });
                return proceed();
            });
            next(app);
        };
    }
}

public sealed class PortalRegistry<TDatabase> : WaldurRegistry<TDatabase> where TDatabase : TestDatabase, new()
{
    public PortalSurroundings Surroundings { get; } = new();
    protected override async Task<string?> StartSurroundingsAsync() { await Surroundings.StartAsync(); return await base.StartSurroundingsAsync(); }
    protected override void Configure(IDictionary<string, string?> settings) { base.Configure(settings); Surroundings.Configure(settings); }
    protected override void ConfigureWebHost(IWebHostBuilder builder) { base.ConfigureWebHost(builder); PortalSurroundings.Enforce(builder); }
    protected override async ValueTask StopSurroundingsAsync() { await base.StopSurroundingsAsync(); await Surroundings.DisposeAsync(); }
}
