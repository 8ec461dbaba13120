using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AgentRegistry.Infrastructure;
using AgentRegistry.Tests.Infrastructure;
using AgentRegistry.Tests.Portal;
using AgentRegistry.Tests.Waldur;
using AgentRegistry.Waldur;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentRegistry.Tests.Admin;

/// <summary>A webhook event that failed for good is replayed from the admin and does its work, against the emulated Waldur.</summary>
public abstract class WebhookReplayTests(RegistryApp app, Marketplace market) : RegistryTest(app)
{
    [Fact]
    public async Task OperatorReplaysAFailedWebhookEventAndItIsProcessed()
    {
        var name = Seed.Unique("Replayed Industries");
        var created = await market.Waldur.CreateControlClient().PostAsJsonAsync("/emulator/customers", new { name });
        var customer = (string)JsonNode.Parse(await created.Content.ReadAsStringAsync())!["uuid"]!;
        long id;
        await using (var scope = App.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<Caller>().AsSystem();
            var db = scope.ServiceProvider.GetRequiredService<RegistryDb>();
            // As the inbox leaves an event after its last attempt: failed, not to be tried again by itself.
            var stored = new WebhookEvent
            {
                Endpoint = "customer", EventType = "customer_creation_succeeded", DedupeKey = Guid.NewGuid().ToString("N"), Attempts = 12,
                Status = WebhookEventStatus.Failed, LastError = "Waldur answered 503",
                Payload = $$$"""{"created": "2026-11-02T10:00:00Z", "message": "", "event_type": "customer_creation_succeeded", "context": {"customer_uuid": "{{{customer}}}", "customer_name": "{{{name}}}"}}""",
            };
            db.WebhookEvents.Add(stored);
            await db.SaveChangesAsync();
            id = stored.Id;
        }
        var op = await Op();
        Assert.Empty((await op.GetAsync($"/api/v1/tenants?search={name}").Json200()).Items());
        var page = $"/admin/webhooks/details/{id}";
        Assert.Contains("Replay this event", await op.GetStringAsync(page));

        var replayed = await op.PostFormAsync(page, "Replay", []);
        Assert.Equal(HttpStatusCode.Redirect, replayed.StatusCode);
        for (var until = Deadline.InSeconds(60); until.Open && (await op.GetAsync($"/api/v1/tenants?search={name}").Json200()).Items().Count == 0;)
            await Task.Delay(100, TestContext.Current.CancellationToken);
        var tenant = Assert.Single((await op.GetAsync($"/api/v1/tenants?search={name}").Json200()).Items())!;
        Assert.Equal(Guid.Parse(customer), Guid.Parse((string)tenant["waldur_customer_uuid"]!));
        for (var until = Deadline.InSeconds(60); until.Open && !(await op.GetStringAsync(page)).Contains("id=\"webhook-status\">processed<");)
            await Task.Delay(100, TestContext.Current.CancellationToken);
        Assert.Contains("id=\"webhook-status\">processed<", await op.GetStringAsync(page));

        // A processed event is not replayed again.
        var again = await op.PostFormAsync(page, "Replay", []);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        await using var check = App.Services.CreateAsyncScope();
        check.ServiceProvider.GetRequiredService<Caller>().AsSystem();
        var row = await check.ServiceProvider.GetRequiredService<RegistryDb>().WebhookEvents.SingleAsync(e => e.Id == id);
        Assert.Equal(WebhookEventStatus.Processed, row.Status);
        Assert.Equal(1, row.Attempts);
    }
}

public sealed class WebhookReplayOnSqlite(WaldurRegistry<Sqlite> app) : WebhookReplayTests(app, app.Market), IClassFixture<WaldurRegistry<Sqlite>>;

public sealed class WebhookReplayOnPostgres(WaldurRegistry<Postgres> app) : WebhookReplayTests(app, app.Market), IClassFixture<WaldurRegistry<Postgres>>;
