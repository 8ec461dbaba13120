using System.Text.RegularExpressions;
using AgentRegistry.Infrastructure;
using AgentRegistry.Tests.Infrastructure;
using AgentRegistry.Waldur;
using AgentRegistry.Waldur.Reporting;
using Microsoft.Extensions.DependencyInjection;

namespace AgentRegistry.Tests.Admin;

/// <summary>The operator's home on a registry of its own, so every count on it is known.</summary>
public abstract partial class AdminHomeTests(RegistryApp app) : RegistryTest(app)
{
    [Fact]
    public async Task HomeShowsHealthWhatNeedsAttentionAndTheLastDaysFiguresEachLinkingToItsList()
    {
        var op = await Op();
        var seeded = await op.SubscribedTenantAsync();
        var key = App.WithKey(await op.IssueKeyAsync(seeded.AccessId, "chat"));
        await key.PostJson("/api/v1/chat", new { message = "What do you know?" }).Json200();
        await WriteAsync(Guid.Parse(seeded.AccessId), Guid.Parse(seeded.TenantId));

        var html = await op.GetStringAsync("/admin");
        foreach (var part in new[] { "database", "scheduler", "waldur", "webhook-inbox" })
            Assert.Matches($"data-part=\"{part}\"[^>]*>\\s*<div><strong>{part}</strong>: <span class=\"state (healthy|degraded)\">", html);
        Assert.Contains("webhook event(s) failed", html);
        Assert.Equal("1", Count(html, "count-failed-webhooks"));
        Assert.Equal("1", Count(html, "count-rejected-reports"));
        Assert.Equal("1", Count(html, "count-failing-reports"));
        Assert.Equal("0", Count(html, "count-differences"));
        Assert.Contains("orders: the Waldur integration is off", html);

        Assert.Matches("data-figure=\"Answer time, P95\">\\s*<div class=\"count\">\\d+ ms</div>", html);
        Assert.Contains("1 answer(s) in the last day", html);
        // Four webhook events settled in the last day, one failed; two usage report attempts, both unsuccessful.
        Assert.Contains("3 of 4 webhook events received in the last day processed", html);
        Assert.Matches("data-figure=\"Webhook processing success\">\\s*<div class=\"count\">75.0%</div>", html);
        Assert.Contains("3 of 6 webhook events, usage reports and documents in the last day failed", html);
        Assert.Matches("href=\"/admin/webhooks\\?status=Failed\" data-figure=\"Error rate\"", html);
        Assert.Matches("href=\"/admin/reconciliation\\?differences=true\" data-figure=\"Billing sync accuracy\"", html);
        Assert.Contains("href=\"/admin/usagereports?outcome=Rejected\"", html);
    }

    private static string Count(string html, string id) => Regex.Match(html, $"id=\"{id}\">([^<]*)<").Groups[1].Value;

    private async Task WriteAsync(Guid accessId, Guid tenantId)
    {
        // As the registry's own inbox and reporter leave them.
        await using var scope = App.Services.GetRequiredService<IServiceScopeFactory>().CreateSystemScope("test");
        var db = scope.ServiceProvider.GetRequiredService<RegistryDb>();
        for (var i = 0; i < 4; i++)
            db.WebhookEvents.Add(new WebhookEvent
            {
                Endpoint = "order", EventType = "marketplace_order_created", DedupeKey = Guid.NewGuid().ToString("N"), Payload = "{}",
                Status = i == 0 ? WebhookEventStatus.Failed : WebhookEventStatus.Processed, LastError = i == 0 ? "Waldur answered 503" : null,
            });
        var now = App.Clock.UtcNow;
        WaldurUsageReport Report(string component, UsageReportOutcome outcome, DateTime at) => new()
        {
            TenantId = tenantId, AccessId = accessId, ResourceUuid = Guid.NewGuid(), ComponentType = component, Period = new DateOnly(2026, 11, 1),
            Amount = 1m, RawQuantity = 1, Outcome = outcome, AttemptedAt = at,
        };
        // Rejected and failing now; the third component failed once long ago and has been accepted since.
        db.UsageReports.AddRange(Report("messages", UsageReportOutcome.Rejected, now), Report("tokens", UsageReportOutcome.Failed, now),
            Report("storage", UsageReportOutcome.Failed, now.AddDays(-3)), Report("storage", UsageReportOutcome.Accepted, now.AddDays(-2)));
        await db.SaveChangesAsync();
    }
}

public sealed class AdminHomeOnSqlite(RegistryApp<Sqlite> app) : AdminHomeTests(app), IClassFixture<RegistryApp<Sqlite>>;

public sealed class AdminHomeOnPostgres(RegistryApp<Postgres> app) : AdminHomeTests(app), IClassFixture<RegistryApp<Postgres>>;
