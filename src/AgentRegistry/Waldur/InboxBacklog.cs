using AgentRegistry.Infrastructure;
using AgentRegistry.Infrastructure.Telemetry;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Waldur;

/// <summary>How many webhook events wait, how many failed for good, and how old the oldest waiting one is.</summary>
internal sealed class InboxBacklog : IBacklogProbe
{
    public async Task SampleAsync(IServiceProvider scoped, DateTime now, CancellationToken ct)
    {
        var events = scoped.GetRequiredService<RegistryDb>().WebhookEvents.AsNoTracking();
        var pending = await events.CountAsync(e => e.Status == WebhookEventStatus.Pending, ct);
        var failed = await events.CountAsync(e => e.Status == WebhookEventStatus.Failed, ct);
        var oldest = pending == 0 ? null
            : await events.Where(e => e.Status == WebhookEventStatus.Pending).OrderBy(e => e.Id).Select(e => (DateTime?)e.ReceivedAt).FirstOrDefaultAsync(ct);
        WaldurMetrics.Inbox(pending, failed, oldest is { } at ? Math.Max(0, (now - at).TotalSeconds) : 0);
    }
}
