using AgentRegistry.Catalog;

namespace AgentRegistry.Access;

public static class AccessSetup
{
    public static IServiceCollection AddAccess(this IServiceCollection services)
    {
        services.AddScoped<AccessLifecycle>();
        services.AddScoped<ApiKeyService>();
        services.AddScoped<PersonaService>();
        services.AddScoped<ICatalogUse, CatalogUse>();
        return services;
    }
}
