using System.Collections.Concurrent;
using AgentRegistry.Access;
using AgentRegistry.Catalog;
using AgentRegistry.Infrastructure;
using AgentRegistry.Waldur.Client;
using AgentRegistry.Waldur.Reporting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AgentRegistry.Waldur.Provisioning;

/// <summary>A refusal that will not go away by retrying: the order is rejected (before approval) or set erred (after).</summary>
public sealed class ProvisioningException(string message) : Exception(message);

/// <summary>
/// The final usage report of a plan switch or a termination failed for a reason that may pass (Waldur down): the order
/// stays executing and is tried again, since setting it done would close the plan period that usage belongs to.
/// </summary>
public sealed class FinalReportPendingException(string message) : Exception(message);

/// <summary>
/// Acts on one Waldur order the way Waldur's site agent does: never from the webhook body, always from the
/// order as re-fetched from Waldur; approve, provision, set the resource's backend id and metadata, re-fetch,
/// set done. Every step is idempotent, so a webhook delivered twice, or seen by the poll as well, acts once.
/// Transient failures (Waldur or the database down) throw, and the caller retries later.
/// </summary>
public sealed class OrderProcessor(RegistryDb db, WaldurClient waldur, TenantMirror mirror, AccessLifecycle lifecycle,
    UsageReporter usage, IOptions<MarketplaceOptions> market, TimeProvider clock, ILogger<OrderProcessor> log)
{
    private static readonly ConcurrentDictionary<Guid, SemaphoreSlim> Gates = new();

    public async Task<EventOutcome> ProcessAsync(Guid orderUuid, CancellationToken ct)
    {
        var gate = Gates.GetOrAdd(orderUuid, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try { return await ProcessOnceAsync(orderUuid, ct); }
        finally { gate.Release(); }
    }

    private async Task<EventOutcome> ProcessOnceAsync(Guid uuid, CancellationToken ct)
    {
        WaldurOrder order;
        try { order = await waldur.GetOrderAsync(uuid, ct); }
        catch (WaldurApiException e) when (e.IsNotFound) { return EventOutcome.Ignored; }
        var agent = order.OfferingUuid is { } offering ? await db.Agents.FirstOrDefaultAsync(a => a.WaldurOfferingUuid == offering, ct) : null;
        if (agent is null) return EventOutcome.Ignored;

        if (order.State == WaldurOrderState.PendingProvider)
        {
            if (await RefusalAsync(order, agent, ct) is { } reason)
            {
                log.LogWarning("Rejecting Waldur order {OrderUuid}: {Reason}", uuid, reason);
                await StateActionAsync(() => waldur.RejectOrderByProviderAsync(uuid, reason, ct));
                WaldurMetrics.OrderActedOn(order.Type.ToString(), "rejected");
                return EventOutcome.Processed;
            }
            await StateActionAsync(() => waldur.ApproveOrderByProviderAsync(uuid, ct));
            order = await waldur.GetOrderAsync(uuid, ct);
        }
        if (order.State is not (WaldurOrderState.Executing or WaldurOrderState.Done)) return EventOutcome.Ignored;

        try
        {
            switch (order.Type)
            {
                case WaldurOrderType.Create: await ProvisionAsync(order, agent, ct); break;
                case WaldurOrderType.Update: await ChangePlanAsync(order, agent, ct); break;
                case WaldurOrderType.Terminate: await TerminateAsync(order, ct); break;
                default: return EventOutcome.Ignored;
            }
        }
        catch (Exception e) when (order.State == WaldurOrderState.Executing && IsPermanent(e))
        {
            log.LogError("Waldur order {OrderUuid} failed: {Error}", uuid, e.Message);
            await StateActionAsync(() => waldur.SetOrderStateErredAsync(uuid, e.Message, ct: ct));
            WaldurMetrics.OrderActedOn(order.Type.ToString(), "erred");
            return EventOutcome.Processed;
        }

        if (order.State == WaldurOrderState.Executing && (await waldur.GetOrderAsync(uuid, ct)).State == WaldurOrderState.Executing)
        {
            await StateActionAsync(() => waldur.SetOrderStateDoneAsync(uuid, ct));
            WaldurMetrics.OrderActedOn(order.Type.ToString(), "done");
        }
        log.LogInformation("Waldur {OrderType} order {OrderUuid} for {Agent} is done", order.Type, uuid, agent.Slug);
        return EventOutcome.Processed;
    }

    private async Task<string?> RefusalAsync(WaldurOrder order, Agent agent, CancellationToken ct)
    {
        if (order.Type == WaldurOrderType.Terminate) return null;
        if (!agent.IsActive) return $"The agent {agent.Name} is not offered any more.";
        if (order.Type == WaldurOrderType.Create && (order.ProjectUuid is null || order.MarketplaceResourceUuid is null))
            return "The order names no project or resource.";
        var plan = await db.Plans.FirstOrDefaultAsync(p => p.AgentId == agent.Id && p.WaldurPlanUuid == order.PlanUuid, ct);
        return plan is { IsActive: true } ? null : "The ordered plan is not offered.";
    }

    private async Task ProvisionAsync(WaldurOrder order, Agent agent, CancellationToken ct)
    {
        var resourceUuid = order.MarketplaceResourceUuid ?? throw new ProvisioningException("The order names no marketplace resource.");
        var access = await db.Accesses.FirstOrDefaultAsync(a => a.WaldurResourceUuid == resourceUuid, ct);
        if (access is null)
        {
            var plan = await PlanAsync(order, agent, ct);
            var project = await mirror.ProjectAsync(order.ProjectUuid ?? throw new ProvisioningException("The order names no project."), false, ct);
            access = new AgentAccess
            {
                TenantId = project.TenantId, ProjectId = project.Id, AgentId = agent.Id, PlanId = plan.Id,
                Name = $"{agent.Name} for {project.Name}", WaldurResourceUuid = resourceUuid, WaldurOrderUuid = order.Uuid,
                Limits = Limits(order),
            };
            db.Accesses.Add(access);
            await AccessPlanPeriods.SwitchAsync(db, access, plan.Id, clock.GetUtcNow().UtcDateTime, ct);
            lifecycle.IssueSealed(access, "First key", [ApiKeyScopes.Chat, ApiKeyScopes.UsageRead]);
            // The unique resource UUID makes a second replica's attempt fail here and retry into the branch above.
            await db.SaveChangesAsync(ct);
        }
        if (access.State == AccessState.Terminated) return;

        await waldur.SetResourceBackendIdAsync(resourceUuid, access.Id.ToString("N"), ct);
        await waldur.SetResourceBackendMetadataAsync(resourceUuid, Metadata(access, agent), ct);
        if (access.State == AccessState.Provisioning) await lifecycle.MoveAsync(access, AccessState.Active, ct);
    }

    private Dictionary<string, object?> Metadata(AgentAccess access, Agent agent)
    {
        var metadata = new Dictionary<string, object?> { ["access_id"] = access.Id.ToString(), ["agent"] = agent.Slug };
        if (market.Value.PublicUrl is { Length: > 0 } url)
        {
            metadata["portal_url"] = $"{url.TrimEnd('/')}/portal/accesses/{access.Id}";
            metadata["api_url"] = $"{url.TrimEnd('/')}/v1";
        }
        return metadata;
    }

    /// <summary>
    /// An Update order: new limits (a limits-only order changes nothing else) and/or a new plan. A plan switch first closes
    /// the old plan's period with a final report while Waldur's old plan period is still in force (the order executing),
    /// then the new plan counts usage from now on (<see cref="AgentAccess.PlanSince"/>).
    /// </summary>
    private async Task ChangePlanAsync(WaldurOrder order, Agent agent, CancellationToken ct)
    {
        var access = await AccessAsync(order, ct) ?? throw new ProvisioningException("No subscription belongs to this resource.");
        var plan = await PlanAsync(order, agent, ct);
        var limits = Limits(order);
        if (access.PlanId == plan.Id && (limits.Count == 0 || limits.Count == access.Limits.Count && !limits.Except(access.Limits).Any())) return;
        if (access.PlanId != plan.Id)
        {
            if (order.State == WaldurOrderState.Executing) await FinalReportAsync(access, "plan switch", ct);
            access.PlanId = plan.Id;
            access.PlanSince = clock.GetUtcNow().UtcDateTime;
            await AccessPlanPeriods.SwitchAsync(db, access, plan.Id, access.PlanSince.Value, ct);
        }
        if (limits.Count > 0) access.Limits = limits;
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Stops the access, then reports its final month-to-date usage while the resource is still Terminating and Waldur
    /// takes it. A report that failed for a passing reason keeps the order executing, to be tried again.
    /// </summary>
    private async Task TerminateAsync(WaldurOrder order, CancellationToken ct)
    {
        if (await AccessAsync(order, ct) is not { } access) return;
        // The plan period ends with the subscription (saved with the state change); a repeated order finds none open.
        await AccessPlanPeriods.CloseAsync(db, access.Id, clock.GetUtcNow().UtcDateTime, ct);
        await lifecycle.MoveAsync(access, AccessState.Terminated, ct);
        if (order.State != WaldurOrderState.Executing) return;
        await FinalReportAsync(access, "termination", ct);
    }

    private async Task FinalReportAsync(AgentAccess access, string reason, CancellationToken ct)
    {
        UsageReportResult result;
        try { result = await usage.ReportAccessAsync(access.Id, ct); }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new FinalReportPendingException($"The final usage report before the {reason} of resource {access.WaldurResourceUuid} failed: {e.Message}");
        }
        if (result.Failed > 0)
            throw new FinalReportPendingException($"The final usage report before the {reason} of resource {access.WaldurResourceUuid} failed; the order waits for it.");
        if (result.Rejected > 0)
            log.LogWarning("Waldur rejected part of the final usage report before the {Reason} of resource {Resource}", reason, access.WaldurResourceUuid);
    }

    /// <summary>The limits chosen in the order, per component type; Waldur sends them as numbers.</summary>
    private static Dictionary<string, decimal> Limits(WaldurOrder order) =>
        order.Limits?.Where(l => l.Value >= 0).ToDictionary(l => l.Key, l => l.Value) ?? [];

    private Task<AgentAccess?> AccessAsync(WaldurOrder order, CancellationToken ct) =>
        db.Accesses.FirstOrDefaultAsync(a => a.WaldurResourceUuid == order.MarketplaceResourceUuid, ct);

    private async Task<AgentPlan> PlanAsync(WaldurOrder order, Agent agent, CancellationToken ct) =>
        await db.Plans.FirstOrDefaultAsync(p => p.AgentId == agent.Id && p.WaldurPlanUuid == order.PlanUuid, ct)
            ?? throw new ProvisioningException("The ordered plan is not offered.");

    /// <summary>Waldur's state actions answer 409 when the order is already past that state: nothing to do.</summary>
    private static async Task StateActionAsync(Func<Task> action)
    {
        try { await action(); }
        catch (WaldurApiException e) when (e.IsStateConflict) { }
    }

    private static bool IsPermanent(Exception e) =>
        e is ProvisioningException || e is WaldurApiException { IsTransient: false, IsStateConflict: false };
}
