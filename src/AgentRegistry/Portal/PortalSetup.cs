namespace AgentRegistry.Portal;

public static class PortalSetup
{
    public static IServiceCollection AddPortal(this IServiceCollection services) => services.AddScoped<PortalContext>();
}
