using AgentRegistry.Metering;
using AgentRegistry.Access;
using AgentRegistry.Admin;
using AgentRegistry.Catalog;
using AgentRegistry.Identity;
using AgentRegistry.Identity.Tokens;
using AgentRegistry.Infrastructure;
using AgentRegistry.Infrastructure.RateLimiting;
using AgentRegistry.Infrastructure.Replicas;
using AgentRegistry.Infrastructure.OpenApi;
using AgentRegistry.Infrastructure.Scheduling;
using AgentRegistry.Infrastructure.Telemetry;
using AgentRegistry.Knowledge;
using AgentRegistry.Chat;
using AgentRegistry.Portal;
using AgentRegistry.Tenancy;
using AgentRegistry.Waldur;
using AgentRegistry.Widget;
using Microsoft.AspNetCore.Http.Json;

namespace AgentRegistry;

/// <summary>Wires the features into one host; each feature owns its endpoints and services.</summary>
public static class RegistryHost
{
    public static void AddRegistry(this WebApplicationBuilder builder)
    {
        builder.AddSettingsBesideTheExecutable();
        var services = builder.Services;
        services.Configure<JsonOptions>(o => Json.Configure(o.SerializerOptions));
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.AddRegistryTelemetry();
        services.AddRegistryProblemDetails();
        services.AddValidation();
        services.AddOpenApi();
        services.AddReverseProxySupport(builder.Configuration);
        services.AddSingleton<PublicAddress>();
        services.AddReplicaSharing(builder.Configuration);
        services.AddRegistryRateLimits();
        services.AddRegistryDatabase(builder.Configuration);
        services.AddRegistryScheduler(builder.Configuration);
        services.AddRegistryAuthentication(builder.Configuration);
        services.AddAccess();
        services.AddPersonalAccessTokens();
        services.AddWaldurIntegration(builder.Configuration);
        services.AddSingleton(TimeProvider.System);
        services.AddKnowledge();
        services.AddChat();
        services.AddWidgets();
        services.AddMetering();
        services.AddPortal();
        services.AddAdmin();
        services.AddRazorPages(o =>
        {
            o.RootDirectory = "/";
            o.Conventions.AuthorizeFolder("/Admin", Policies.Operator);
            o.Conventions.AuthorizeFolder("/Portal", Policies.Person);
        });
    }

    public static void UseRegistry(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.UseSecurityHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        // The portal's and the admin's own styles and scripts, and vendored browser libraries (wwwroot/static).
        app.UseStaticFiles();
        app.UseCookiePolicy();
        app.UseAuthentication();
        app.UseCrossSiteRequestGuard();
        app.UsePersonalAccessTokenScopes();
        app.UseAuthorization();
        app.UseWidgets();
        app.UseRateLimiter();
        app.MapRegistryMetrics();

        app.MapRegistryHealth();
        app.MapApiDescription();
        app.MapRootRedirect();
        app.MapMe();
        app.MapTokens();
        app.MapAccounts();
        app.MapCatalog();
        app.MapTenancy();
        app.MapAccesses();
        app.MapWidgets();
        app.MapModels();
        app.MapWaldur();
        app.MapDocuments();
        app.MapTestQuestions();
        app.MapChat();
        app.MapWidgetPublic();
        app.MapMetering();
        app.MapRazorPages();
    }
}

public static class Settings
{
    /// <summary>
    /// appsettings.json ships beside the executable; started from another directory (<c>dotnet run --project</c> runs in
    /// the caller's directory, so that <c>./data/</c> is the caller's), it is read from there, below every other source.
    /// </summary>
    public static void AddSettingsBesideTheExecutable(this WebApplicationBuilder builder)
    {
        var beside = Path.Combine(AppContext.BaseDirectory, "appsettings.json");
        if (File.Exists(Path.Combine(builder.Environment.ContentRootPath, "appsettings.json")) || !File.Exists(beside)) return;
        var source = new Microsoft.Extensions.Configuration.Json.JsonConfigurationSource { Path = beside, Optional = true };
        source.ResolveFileProvider();
        builder.Configuration.Sources.Insert(0, source);
    }
}
