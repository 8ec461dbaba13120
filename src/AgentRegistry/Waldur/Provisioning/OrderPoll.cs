using AgentRegistry.Infrastructure;
using AgentRegistry.Waldur.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AgentRegistry.Waldur.Provisioning;

/// <summary>
/// Lists the pending-provider and executing orders of the registry's offerings every few minutes and acts on
/// them, so a webhook Waldur never sent delays nothing by more than one interval. One replica at a time.
/// </summary>
public sealed class OrderPoll(IServiceScopeFactory scopes, IOptions<MarketplaceOptions> options, IOptions<WaldurOptions> waldur,
    ILogger<OrderPoll> log) : BackgroundService
{
    private static readonly string[] OpenStates = [WaldurOrderState.PendingProvider, WaldurOrderState.Executing];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!waldur.Value.Enabled) return;
        var interval = TimeSpan.FromSeconds(options.Value.PollSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateSystemScope("waldur-poll");
                if (await JobLease.TryAcquireAsync(scope.ServiceProvider.GetRequiredService<RegistryDb>(), "waldur-order-poll", interval * 0.9, stoppingToken))
                    await SyncAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning("Polling Waldur orders failed: {Error}", e.Message);
            }
            try { await Task.Delay(interval, stoppingToken); }
            catch (OperationCanceledException) { break; }
        }
    }

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
