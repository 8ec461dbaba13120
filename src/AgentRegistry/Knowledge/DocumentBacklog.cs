using AgentRegistry.Infrastructure;
using AgentRegistry.Infrastructure.Telemetry;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Knowledge;

/// <summary>Documents waiting for the pipeline or in it, and how long the least recently changed of them has waited.</summary>
internal sealed class DocumentBacklog : IBacklogProbe
{
    public async Task SampleAsync(IServiceProvider scoped, DateTime now, CancellationToken ct)
    {
        var waiting = scoped.GetRequiredService<RegistryDb>().TrainingDocuments.AsNoTracking()
            .Where(d => d.Status == DocumentStatus.Queued || d.Status == DocumentStatus.Processing);
        var count = await waiting.CountAsync(ct);
        var oldest = count == 0 ? null : await waiting.MinAsync(d => (DateTime?)d.UpdatedAt, ct);
        KnowledgeMetrics.Queue(count, oldest is { } at ? Math.Max(0, (now - at).TotalSeconds) : 0);
    }
}
