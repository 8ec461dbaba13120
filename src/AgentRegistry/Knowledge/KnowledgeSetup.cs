using AgentRegistry.Infrastructure;
using AgentRegistry.Infrastructure.Telemetry;
using Microsoft.Extensions.AI;

namespace AgentRegistry.Knowledge;

public static class KnowledgeSetup
{
    public static IServiceCollection AddKnowledge(this IServiceCollection services)
    {
        services.AddMetricSeries(KnowledgeMetrics.ZeroSeries);
        services.AddOptions<KnowledgeOptions>().BindConfiguration(KnowledgeOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(KnowledgeModels.MiniLm);
        services.AddSingleton<QueryEmbeddings>();
        services.AddSingleton(_ => KnowledgeModels.Tokens);
        services.AddSingleton(sp => new DocumentChunker(sp.GetRequiredService<TokenCounter>()));
        services.AddSingleton<DocumentTextReader>();
        services.AddSingleton<VectorCache>();
        services.AddSingleton<IForgetsChanges>(sp => sp.GetRequiredService<VectorCache>());
        services.AddSingleton<DocumentQueue>();
        services.AddScoped<KnowledgeSearch>();
        services.AddScoped<DocumentService>();
        services.AddScoped<TestQuestions>();
        services.AddHostedService<DocumentProcessor>();
        services.AddSingleton<Infrastructure.Telemetry.IBacklogProbe, DocumentBacklog>();
        return services;
    }
}
