using AgentRegistry.Infrastructure;
using AgentRegistry.Waldur.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace AgentRegistry.Waldur;

/// <summary>
/// Whether Waldur answers. Waldur being down degrades the registry (orders and usage reports wait) but does not
/// make it unready: chat and the widget keep working, so the check reports Degraded, never Unhealthy.
/// </summary>
public sealed class WaldurHealthCheck(IServiceScopeFactory scopes, IOptions<WaldurOptions> options, TimeProvider clock) : IHealthCheck
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);
    private (DateTimeOffset At, HealthCheckResult Result)? _last;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        if (!options.Value.Enabled) return HealthCheckResult.Healthy("The Waldur integration is off.");
        if (_last is { } last && clock.GetUtcNow() - last.At < CacheFor) return last.Result;
        HealthCheckResult result;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            var user = await scope.ServiceProvider.GetRequiredService<WaldurClient>().GetCurrentUserAsync(timeout.Token);
            result = HealthCheckResult.Healthy($"Waldur answers as {user.Username}.");
        }
        catch (Exception e) when (e is WaldurApiException or HttpRequestException or OperationCanceledException or TimeoutException)
        {
            result = HealthCheckResult.Degraded("Waldur does not answer; orders and usage reports wait and are retried.");
        }
        _last = (clock.GetUtcNow(), result);
        return result;
    }
}

/// <summary>Webhook events that failed for good, or wait too long, degrade the registry's health.</summary>
public sealed class WebhookInboxHealthCheck(IServiceScopeFactory scopes, TimeProvider clock) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        await using var scope = scopes.CreateSystemScope("health");
        var db = scope.ServiceProvider.GetRequiredService<RegistryDb>();
        var failed = await db.WebhookEvents.CountAsync(e => e.Status == WebhookEventStatus.Failed, ct);
        var stale = clock.GetUtcNow().UtcDateTime.AddMinutes(-15);
        var waiting = await db.WebhookEvents.CountAsync(e => e.Status == WebhookEventStatus.Pending && e.ReceivedAt < stale, ct);
        var data = new Dictionary<string, object> { ["failed"] = failed, ["waiting_over_15_minutes"] = waiting };
        return failed + waiting == 0
            ? HealthCheckResult.Healthy("Webhook events are processed.", data)
            : HealthCheckResult.Degraded($"{failed} webhook event(s) failed and {waiting} wait longer than 15 minutes; see /admin/webhooks.", data: data);
    }
}
