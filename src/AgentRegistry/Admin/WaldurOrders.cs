using AgentRegistry.Catalog;
using AgentRegistry.Infrastructure;
using AgentRegistry.Waldur.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AgentRegistry.Admin;

public sealed record OrderRow(WaldurOrder Order, Guid AgentId, string Agent);

/// <summary>The orders of the registry's published offerings as Waldur holds them now (the registry keeps no copy).</summary>
public sealed class WaldurOrders(RegistryDb db, WaldurClient waldur, IOptions<WaldurOptions> options)
{
    public static readonly string[] Open = [WaldurOrderState.PendingProvider, WaldurOrderState.Executing];
    public static readonly string[] Failed = [WaldurOrderState.Erred];

    public bool Enabled => options.Value.Enabled;

    /// <summary>Orders in the given states, newest first; throws when Waldur cannot be read.</summary>
    public async Task<List<OrderRow>> ListAsync(IEnumerable<string> states, CancellationToken ct)
    {
        if (!Enabled) return [];
        var offerings = await db.Agents.AsNoTracking().Where(a => a.WaldurOfferingUuid != null)
            .Select(a => new { a.Id, a.Name, Offering = a.WaldurOfferingUuid!.Value }).ToListAsync(ct);
        var rows = new List<OrderRow>();
        var wanted = states.ToList();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        foreach (var o in offerings)
            rows.AddRange((await waldur.ListOrdersAsync(o.Offering, wanted, timeout.Token)).Select(order => new OrderRow(order, o.Id, o.Name)));
        return rows.OrderByDescending(r => r.Order.Created).ToList();
    }
}
