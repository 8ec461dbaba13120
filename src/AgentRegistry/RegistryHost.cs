using AgentRegistry.Metering;
using System.Text.Json;
using System.Text.Json.Serialization;
using AgentRegistry.Access;
using AgentRegistry.Admin;
using AgentRegistry.Catalog;
using AgentRegistry.Identity;
using AgentRegistry.Infrastructure;
using AgentRegistry.Infrastructure.RateLimiting;
using AgentRegistry.Infrastructure.Replicas;
using AgentRegistry.Infrastructure.Scheduling;
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
        var services = builder.Services;
        services.Configure<JsonOptions>(o => Json.Configure(o.SerializerOptions));
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddRegistryProblemDetails();
        services.AddValidation();
        services.AddOpenApi();
        services.AddReverseProxySupport(builder.Configuration);
        services.AddReplicaSharing(builder.Configuration);
        services.AddRegistryRateLimits();
        services.AddRegistryDatabase(builder.Configuration);
        services.AddRegistryScheduler(builder.Configuration);
        services.AddRegistryAuthentication(builder.Configuration);
        services.AddScoped<AccessLifecycle>();
        services.AddScoped<ApiKeyService>();
        services.AddScoped<PersonaService>();
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
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        // The portal's and the admin's own styles and scripts, and vendored browser libraries (wwwroot/static).
        app.UseStaticFiles();
        app.UseCookiePolicy();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseWidgets();
        app.UseRateLimiter();

        app.MapRegistryHealth();
        app.MapOpenApi();
        app.MapRootRedirect();
        app.MapMe();
        app.MapAccounts();
        app.MapCatalog();
        app.MapTenancy();
        app.MapAccesses();
        app.MapModels();
        app.MapWaldur();
        app.MapDocuments();
        app.MapChat();
        app.MapWidgetPublic();
        app.MapMetering();
        app.MapRazorPages();
    }
}

public static class Json
{
    /// <summary>snake_case names and enums, as in Waldur and the OpenAI API.</summary>
    public static void Configure(JsonSerializerOptions o)
    {
        o.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        o.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
    }
}
