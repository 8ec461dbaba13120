using System.Text;
using AgentRegistry.Infrastructure;
using AgentRegistry.Tests.Infrastructure;
using AgentRegistry.Waldur;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentRegistry.Tests.Waldur;

/// <summary>The registry with its inbox worker off: the test runs each pass itself, on the registry's clock.</summary>
public sealed class InboxRegistry<TDatabase> : RegistryApp<TDatabase> where TDatabase : TestDatabase, new()
{
    protected override void Configure(IDictionary<string, string?> settings) => WebhookInboxTests.Configure(settings);
}

/// <summary>
/// An event whose handling keeps failing: retried with a growing backoff, never before it is due, failed for good after
/// the last attempt; the health check reports events that wait too long and events that failed.
/// </summary>
public abstract class WebhookInboxTests(RegistryApp app) : RegistryTest(app)
{
    internal static void Configure(IDictionary<string, string?> settings)
    {
        settings["Waldur:Inbox:Enabled"] = "false";
        settings["Waldur:Inbox:MaxAttempts"] = "3";
        // A Waldur nobody answers at (the discard port): every order event fails to re-fetch its order.
        settings["Waldur:ApiUrl"] = "http://127.0.0.1:9/api/";
        settings["Waldur:Token"] = "token-of-a-waldur-that-is-down";
        settings["Waldur:Retries"] = "0";
        settings["Waldur:TimeoutSeconds"] = "5";
        settings["Waldur:Marketplace:PollSeconds"] = "3600";
        settings["Metering:ReportSeconds"] = "0";
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AFailingEventIsRetriedWithBackoffThenFailsForGoodAndHealthReportsIt()
    {
        var inbox = App.Services.GetRequiredService<WebhookInbox>();
        var t0 = new DateTime(2026, 3, 2, 9, 0, 0, DateTimeKind.Utc);
        App.Clock.StopAt(t0);
        try
        {
            // An order event: its handler asks Waldur for the order, and Waldur is down, so every attempt fails.
            var body = WebhookReceiverTests.LiveEvent("marketplace_order_created", $$"""{"order_uuid": "{{Guid.NewGuid():N}}"}""");
            var receipt = await App.Anonymous().PostAsync("/webhooks/waldur/order/", new StringContent(body, Encoding.UTF8, "application/json")).Json200(202);
            var id = (long)receipt["id"]!;
            var stored = await EventAsync(id);
            Assert.Equal((WebhookEventStatus.Pending, 0, t0, t0), (stored.Status, stored.Attempts, stored.ReceivedAt, stored.NextAttemptAt));
            Assert.Equal(("Healthy", 0, 0), await InboxHealthAsync());

            // Left waiting for more than 15 minutes, it degrades health.
            App.Clock.Advance(TimeSpan.FromMinutes(16));
            Assert.Equal(("Degraded", 0, 1), await InboxHealthAsync());

            // Attempt 1 fails: due again in 2 s (± 20 % jitter), not before.
            var now = App.Clock.GetUtcNow().UtcDateTime;
            Assert.Equal(1, await inbox.ProcessDueAsync(Ct));
            stored = await EventAsync(id);
            Assert.Equal((WebhookEventStatus.Pending, 1), (stored.Status, stored.Attempts));
            Assert.False(string.IsNullOrEmpty(stored.LastError));
            Assert.InRange(stored.NextAttemptAt, now.AddSeconds(1.6), now.AddSeconds(2.4));
            Assert.Equal(0, await inbox.ProcessDueAsync(Ct));
            App.Clock.Advance(TimeSpan.FromSeconds(1.5));
            Assert.Equal(0, await inbox.ProcessDueAsync(Ct));

            // Attempt 2 fails: due again in 4 s (± 20 %).
            App.Clock.Advance(TimeSpan.FromSeconds(1));
            now = App.Clock.GetUtcNow().UtcDateTime;
            Assert.Equal(1, await inbox.ProcessDueAsync(Ct));
            stored = await EventAsync(id);
            Assert.Equal((WebhookEventStatus.Pending, 2), (stored.Status, stored.Attempts));
            Assert.InRange(stored.NextAttemptAt, now.AddSeconds(3.2), now.AddSeconds(4.8));

            // Attempt 3 is the last: failed for good, never tried again, and health says so.
            App.Clock.Advance(TimeSpan.FromSeconds(5));
            Assert.Equal(1, await inbox.ProcessDueAsync(Ct));
            stored = await EventAsync(id);
            Assert.Equal((WebhookEventStatus.Failed, 3), (stored.Status, stored.Attempts));
            Assert.False(string.IsNullOrEmpty(stored.LastError));
            App.Clock.Advance(TimeSpan.FromHours(1));
            Assert.Equal(0, await inbox.ProcessDueAsync(Ct));
            Assert.Equal(3, (await EventAsync(id)).Attempts);
            Assert.Equal(("Degraded", 1, 0), await InboxHealthAsync());
        }
        finally { App.Clock.Resume(); }
    }

    private async Task<WebhookEvent> EventAsync(long id)
    {
        await using var scope = App.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<Caller>().AsSystem();
        return await scope.ServiceProvider.GetRequiredService<RegistryDb>().WebhookEvents.AsNoTracking().SingleAsync(e => e.Id == id, Ct);
    }

    private async Task<(string Status, int Failed, int Waiting)> InboxHealthAsync()
    {
        var check = (await App.Anonymous().GetAsync("/health/ready").Json200())["checks"]!["webhook-inbox"]!;
        return ((string)check["status"]!, (int)check["data"]!["failed"]!, (int)check["data"]!["waiting_over_15_minutes"]!);
    }
}

public sealed class WebhookInboxOnSqlite(InboxRegistry<Sqlite> app) : WebhookInboxTests(app), IClassFixture<InboxRegistry<Sqlite>>;

public sealed class WebhookInboxOnPostgres(InboxRegistry<Postgres> app) : WebhookInboxTests(app), IClassFixture<InboxRegistry<Postgres>>;
