using AgentRegistry.Tests.Infrastructure;

namespace AgentRegistry.Tests.Waldur;

/// <summary>With the integration off, publishing says what to configure instead of failing obscurely.</summary>
public abstract class PublishWithoutWaldurTests(RegistryApp app) : RegistryTest(app)
{
    [Fact]
    public async Task PublishingExplainsThatWaldurIsOff()
    {
        var op = await Op();
        var seeded = await op.SubscribedTenantAsync();
        var problem = await op.PostAsync($"/api/v1/agents/{seeded.AgentId}/publish", null).Problem(409, "waldur-disabled");
        Assert.Contains("Waldur:ApiUrl", (string?)problem["title"]);
        await op.PostAsync($"/api/v1/agents/{Guid.NewGuid()}/publish", null).Problem(409, "waldur-disabled");
    }

    [Fact]
    public async Task WebhooksAreStoredButIgnoredWhileWaldurIsOff()
    {
        var body = WebhookReceiverTests.LiveEvent("marketplace_order_created", $$"""{"order_uuid": "{{Guid.NewGuid():N}}"}""");
        var receipt = await App.Anonymous().PostAsync("/webhooks/waldur/order/", new StringContent(body, System.Text.Encoding.UTF8, "application/json")).Json200(202);
        Assert.False((bool)receipt["duplicate"]!);
    }
}

public sealed class PublishWithoutWaldurOnSqlite(RegistryApp<Sqlite> app) : PublishWithoutWaldurTests(app), IClassFixture<RegistryApp<Sqlite>>;
public sealed class PublishWithoutWaldurOnPostgres(RegistryApp<Postgres> app) : PublishWithoutWaldurTests(app), IClassFixture<RegistryApp<Postgres>>;
