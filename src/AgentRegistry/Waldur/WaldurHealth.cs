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

/// <summary>
/// Usage of last month whose latest report Waldur rejected degrades health: the month's invoice misses it. The usual
/// cause is a provider token, which cannot report a past billing period (docs/operations.md).
/// </summary>
public sealed class PastPeriodReportsHealthCheck(IServiceScopeFactory scopes, TimeProvider clock) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        await using var scope = scopes.CreateSystemScope("health");
        var db = scope.ServiceProvider.GetRequiredService<RegistryDb>();
        var month = Metering.BillingMonths.Of(clock.GetUtcNow().UtcDateTime).AddMonths(-1);
        var latest = db.UsageReports.Where(r => r.Period == month).GroupBy(r => new { r.AccessId, r.ComponentType }).Select(g => g.Max(r => r.Id));
        var rejected = await db.UsageReports.CountAsync(r => latest.Contains(r.Id) && r.Outcome == Reporting.UsageReportOutcome.Rejected, ct);
        var data = new Dictionary<string, object> { ["month"] = month.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture), ["rejected"] = rejected };
        return rejected == 0
            ? HealthCheckResult.Healthy("Last month's usage reports were taken.", data)
            : HealthCheckResult.Degraded($"Waldur rejected {rejected} usage value(s) of {month:yyyy-MM}: its invoice misses them; a past month needs a staff token (see /admin/reconciliation).", data: data);
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

/// <summary>Webhooks accepted from anyone (<c>Waldur:Webhooks:AllowUnprotected</c> with no protection) degrade health.</summary>
public sealed class WebhookProtectionHealthCheck(IOptionsMonitor<WebhookOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        var o = options.CurrentValue;
        return Task.FromResult(o.IsProtected ? HealthCheckResult.Healthy("Webhook deliveries are checked.")
            : o.AllowUnprotected ? HealthCheckResult.Degraded("Webhooks are accepted from anyone: set Waldur:Webhooks:Token, AllowedNetworks or SigningSecrets.")
            : HealthCheckResult.Healthy("Webhooks are refused until a token, network or signing secret is configured."));
    }

    /// <summary>Says it at start, where an operator reads the log.</summary>
    internal static void Announce(IServiceProvider services)
    {
        var o = services.GetRequiredService<IOptionsMonitor<WebhookOptions>>().CurrentValue;
        if (o.IsProtected) return;
        var log = services.GetRequiredService<ILoggerFactory>().CreateLogger("AgentRegistry.Waldur.Webhooks");
        if (o.AllowUnprotected)
            log.LogWarning("WEBHOOKS ARE OPEN: Waldur:Webhooks:AllowUnprotected is set and no token, network or signing secret is configured, "
                + "so anyone who can reach /webhooks/waldur/ can store events. Configure Waldur:Webhooks:Token (or AllowedNetworks, SigningSecrets).");
        else
            log.LogWarning("Webhook deliveries are refused: configure Waldur:Webhooks:Token, AllowedNetworks or SigningSecrets to receive them.");
    }
}
