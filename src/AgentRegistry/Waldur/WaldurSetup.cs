namespace AgentRegistry.Waldur;

public static class WaldurSetup
{
    public static IServiceCollection AddWaldurIntegration(this IServiceCollection services)
    {
        services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<InboxOptions>().BindConfiguration(InboxOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<WebhookGuard>();
        services.AddSingleton<WebhookInbox>();
        services.AddHostedService(sp => sp.GetRequiredService<WebhookInbox>());
        return services;
    }
}
