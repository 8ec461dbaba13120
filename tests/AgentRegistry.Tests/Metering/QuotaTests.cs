using System.Net;
using System.Text.Json.Nodes;
using AgentRegistry.Tests.Infrastructure;

namespace AgentRegistry.Tests.Metering;

public abstract class QuotaTests(RegistryApp app) : RegistryTest(app)
{
    [Fact]
    public async Task HardMessageLimitStopsTheFourthChatWith429UntilNextMonth()
    {
        var op = await Op();
        var s = await op.SubscribedTenantAsync();
        var plan = await op.PostJson($"/api/v1/agents/{s.AgentId}/plans", Seed.Plan("Tiny", 1m, 3)).Created();
        var access = await op.PostJson("/api/v1/accesses", new { project_id = s.ProjectId, agent_id = s.AgentId, plan_id = plan.Id() }).Created();
        var key = App.WithKey(await op.IssueKeyAsync(access.Id(), "chat"));
        for (var i = 0; i < 3; i++) await key.PostJson("/api/v1/chat", new { message = $"Question {i}?" }).Json200();

        var before = App.Clock.UtcNow;
        var response = await key.PostJson("/api/v1/chat", new { message = "One more?" });
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.EndsWith("/problems/quota-exceeded", (string?)problem["type"]);
        var retry = long.Parse(response.Headers.GetValues("Retry-After").Single());
        var next = new DateTime(before.Year, before.Month, 1, 0, 0, 0, DateTimeKind.Utc).AddMonths(1);
        Assert.InRange(retry, (long)(next - before).TotalSeconds - 5, (long)(next - before).TotalSeconds + 5);

        // The other access of the tenant has its own quota.
        var other = App.WithKey(await op.IssueKeyAsync(s.AccessId, "chat"));
        await other.PostJson("/api/v1/chat", new { message = "Still fine?" }).Json200();
    }

    [Fact]
    public async Task ReportedUsageEventsCountTowardsTheHardLimit()
    {
        var op = await Op();
        var s = await op.SubscribedTenantAsync();
        var plan = await op.PostJson($"/api/v1/agents/{s.AgentId}/plans", Seed.Plan("Tiny", 1m, 3)).Created();
        var access = await op.PostJson("/api/v1/accesses", new { project_id = s.ProjectId, agent_id = s.AgentId, plan_id = plan.Id() }).Created();
        var key = App.WithKey(await op.IssueKeyAsync(access.Id(), "chat", "usage:write"));
        await key.PostJson("/api/v1/chat", new { message = "First?" }).Json200();
        await key.PostJson("/api/v1/usage/events", new { events = new[] { new { id = "bulk", metric = "messages", quantity = 2, occurred_at = App.Clock.UtcNow } } }).Json200();
        await key.PostJson("/api/v1/chat", new { message = "Second?" }).Problem(429, "quota-exceeded");
    }

    [Fact]
    public async Task ChangingThePlanAppliesItsLimitAtOnceDespiteTheRememberedPlan()
    {
        var op = await Op();
        var s = await op.SubscribedTenantAsync();
        var plan = await op.PostJson($"/api/v1/agents/{s.AgentId}/plans", Seed.Plan("Tiny", 1m, 3)).Created();
        var access = await op.PostJson("/api/v1/accesses", new { project_id = s.ProjectId, agent_id = s.AgentId, plan_id = plan.Id() }).Created();
        var key = App.WithKey(await op.IssueKeyAsync(access.Id(), "chat", "usage:write"));
        await key.PostJson("/api/v1/usage/events", new { events = new[] { new { id = "bulk", metric = "messages", quantity = 3, occurred_at = App.Clock.UtcNow } } }).Json200();
        await key.PostJson("/api/v1/chat", new { message = "Over?" }).Problem(429, "quota-exceeded");

        await op.PatchJson($"/api/v1/accesses/{access.Id()}", new { plan_id = s.PlanId }).Json200();
        await key.PostJson("/api/v1/chat", new { message = "Bigger plan?" }).Json200();

        // Lowering the limit of a plan in use makes its next version (the access keeps its own until switched, as Waldur
        // applies plan changes from the next period); switching to it applies the lower limit at once.
        var lowered = await op.PutJson($"/api/v1/agents/{s.AgentId}/plans/{s.PlanId}", Seed.Plan("Starter", 10m, 4)).Json200();
        Assert.NotEqual(s.PlanId, lowered.Id());
        await key.PostJson("/api/v1/chat", new { message = "Still the old version?" }).Json200();
        await op.PatchJson($"/api/v1/accesses/{access.Id()}", new { plan_id = lowered.Id() }).Json200();
        await key.PostJson("/api/v1/chat", new { message = "Lowered?" }).Problem(429, "quota-exceeded");
    }
}

public sealed class QuotaOnSqlite(RegistryApp<Sqlite> app) : QuotaTests(app), IClassFixture<RegistryApp<Sqlite>>;

public sealed class QuotaOnPostgres(RegistryApp<Postgres> app) : QuotaTests(app), IClassFixture<RegistryApp<Postgres>>;
