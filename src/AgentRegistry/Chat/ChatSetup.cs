using AgentRegistry.Infrastructure.Telemetry;
using AgentRegistry.Infrastructure;
using AgentRegistry.Knowledge;
using AgentRegistry.Metering;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Chat;

public static class ChatSetup
{
    public static IServiceCollection AddChat(this IServiceCollection services)
    {
        services.AddMetricSeries(ChatMetrics.ZeroSeries);
        services.AddOptions<LlmOptions>().BindConfiguration(LlmOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ChatSettings>().BindConfiguration(ChatSettings.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(new OfflineAnswerComposer());
        services.AddSingleton<OfflineChatClient>();
        services.AddSingleton<Groundings>();
        services.AddSingleton<UpstreamGuard>();
        services.AddSingleton<ChatClientFactory>();
        services.AddSingleton<UsageRecorder>();
        services.AddSingleton<PersonaCache>();
        services.AddSingleton<IForgetsChanges>(sp => sp.GetRequiredService<PersonaCache>());
        services.AddSingleton<ConversationWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<ConversationWriter>());
        services.AddScoped<ChatService>();
        services.AddScoped<ConversationReader>();
        return services;
    }

    public static IEndpointRouteBuilder MapChat(this IEndpointRouteBuilder routes)
    {
        routes.MapChatApi();
        routes.MapCompletions();
        routes.MapConversations();
        return routes;
    }
}
