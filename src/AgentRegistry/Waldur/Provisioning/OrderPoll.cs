using AgentRegistry.Catalog;
using AgentRegistry.Infrastructure;
using AgentRegistry.Infrastructure.Scheduling;
using AgentRegistry.Waldur.Client;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Waldur.Provisioning;

/// <summary>
/// Lists the pending-provider and executing orders of the registry's offerings and acts on them. The scheduler runs it
/// every <c>Waldur:Marketplace:PollSeconds</c>, so a webhook Waldur never sent delays nothing by more than one interval;
/// <c>agentregistry waldur sync-orders</c> runs it once.
/// </summary>
public sealed class OrderPoll(IServiceScopeFactory scopes, ILogger<OrderPoll> log) : IScheduledWork
{
    private static readonly string[] OpenStates = [WaldurOrderState.PendingProvider, WaldurOrderState.Executing];

    public Task RunAsync(CancellationToken ct) => SyncAsync(ct);

    /// <summary>One pass over every published agent's open orders; returns how many orders were acted on.</summary>
    public async Task<int> SyncAsync(CancellationToken ct)
    {
        List<Guid> offerings;
        await using (var scope = scopes.CreateSystemScope("waldur-poll"))
        {
            offerings = await scope.ServiceProvider.GetRequiredService<RegistryDb>().Agents
                .Where(a => a.WaldurOfferingUuid != null).Select(a => a.WaldurOfferingUuid!.Value).ToListAsync(ct);
        }
        var acted = 0;
        foreach (var offering in offerings)
        {
            IReadOnlyList<WaldurOrder> orders;
            await using (var scope = scopes.CreateSystemScope("waldur-poll"))
                orders = await scope.ServiceProvider.GetRequiredService<WaldurClient>().ListOrdersAsync(offering, OpenStates, ct);
            foreach (var order in orders)
            {
                try
                {
                    await using var scope = scopes.CreateSystemScope("waldur");
                    if (await scope.ServiceProvider.GetRequiredService<OrderProcessor>().ProcessAsync(order.Uuid, ct) == EventOutcome.Processed) acted++;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    log.LogWarning("Waldur order {OrderUuid} will be retried: {Error}", order.Uuid, e.Message);
                }
            }
        }
        return acted;
    }
}
