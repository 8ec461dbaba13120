namespace AgentRegistry.Admin;

public static class AdminSetup
{
    public static IServiceCollection AddAdmin(this IServiceCollection services) => services
        .AddScoped<WaldurOrders>()
        .AddScoped<OperatorDashboard>();
}
