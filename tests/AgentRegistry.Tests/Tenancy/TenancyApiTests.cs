using AgentRegistry.Tests.Infrastructure;

namespace AgentRegistry.Tests.Tenancy;

public abstract class TenancyApiTests(RegistryApp app) : RegistryTest(app)
{
    [Fact]
    public async Task MembersSeeOnlyTheirOwnTenantAndItsProjectsAndAccesses()
    {
        var op = await Op();
        var a = await op.SubscribedTenantAsync();
        var b = await op.SubscribedTenantAsync();
        var member = await App.MemberAsync(op, a.TenantId);

        var tenants = await member.GetAsync("/api/v1/tenants").Json200();
        Assert.Equal(a.TenantId, Assert.Single(tenants.Items())!.Id());
        var projects = (await member.GetAsync($"/api/v1/tenants/{a.TenantId}/projects").Json200()).AsArray();
        Assert.Equal(a.ProjectId, Assert.Single(projects)!.Id());
        var accesses = await member.GetAsync("/api/v1/accesses").Json200();
        Assert.Equal(a.AccessId, Assert.Single(accesses.Items())!.Id());

        await member.GetAsync($"/api/v1/tenants/{b.TenantId}").Problem(404);
        await member.GetAsync($"/api/v1/tenants/{b.TenantId}/projects").Problem(404);
        await member.GetAsync($"/api/v1/accesses/{b.AccessId}").Problem(404);
        await member.GetAsync($"/api/v1/accesses?tenant={b.TenantId}").Json200().ContinueWith(t => Assert.Empty(t.Result.Items()));
    }

    [Fact]
    public async Task OperatorSeesEveryTenantAndFiltersAccesses()
    {
        var op = await Op();
        var a = await op.SubscribedTenantAsync();
        var b = await op.SubscribedTenantAsync();
        var all = await op.GetAsync("/api/v1/tenants?page_size=200").Json200();
        Assert.Contains(all.Items(), t => t!.Id() == a.TenantId);
        Assert.Contains(all.Items(), t => t!.Id() == b.TenantId);
        var filtered = await op.GetAsync($"/api/v1/accesses?tenant={b.TenantId}&state=active").Json200();
        Assert.Equal(b.AccessId, Assert.Single(filtered.Items())!.Id());
    }

    [Fact]
    public async Task WaldurUuidsAreUniquePerTenantAndProject()
    {
        var op = await Op();
        var uuid = Guid.NewGuid();
        await op.PostJson("/api/v1/tenants", new { name = "One", slug = Seed.Unique("one"), waldur_customer_uuid = uuid }).Created();
        await op.PostJson("/api/v1/tenants", new { name = "Two", slug = Seed.Unique("two"), waldur_customer_uuid = uuid }).Problem(409, "duplicate-waldur-uuid");

        var seeded = await op.SubscribedTenantAsync();
        var project = Guid.NewGuid();
        await op.PostJson($"/api/v1/tenants/{seeded.TenantId}/projects", new { name = "P1", waldur_project_uuid = project }).Created();
        await op.PostJson($"/api/v1/tenants/{seeded.TenantId}/projects", new { name = "P2", waldur_project_uuid = project }).Problem(409, "duplicate-waldur-uuid");
    }

    [Fact]
    public async Task AccessNeedsAPlanOfItsAgent()
    {
        var op = await Op();
        var a = await op.SubscribedTenantAsync();
        var b = await op.SubscribedTenantAsync();
        var problem = await op.PostJson("/api/v1/accesses", new { project_id = a.ProjectId, agent_id = a.AgentId, plan_id = b.PlanId }).Problem(422);
        Assert.NotNull(problem["errors"]!["plan_id"]);
        var unknownProject = await op.PostJson("/api/v1/accesses", new { project_id = Guid.NewGuid(), agent_id = a.AgentId, plan_id = a.PlanId }).Problem(422);
        Assert.NotNull(unknownProject["errors"]!["project_id"]);
    }

    [Fact]
    public async Task AccessChangesPlanAndFollowsItsStateMachine()
    {
        var op = await Op();
        var a = await op.SubscribedTenantAsync();
        var changed = await op.PatchJson($"/api/v1/accesses/{a.AccessId}", new { plan_id = a.SecondPlanId }).Json200();
        Assert.Equal("Pro", (string?)changed["plan_name"]);
        Assert.Equal("suspended", (string?)(await op.PatchJson($"/api/v1/accesses/{a.AccessId}", new { state = "suspended" }).Json200())["state"]);
        await op.PatchJson($"/api/v1/accesses/{a.AccessId}", new { state = "provisioning" }).Problem(409, "invalid-state-transition");
        await op.PatchJson($"/api/v1/accesses/{a.AccessId}", new { state = "sleeping" }).Problem(400, "malformed-json");
    }

    [Fact]
    public async Task PersonaOverridesFallBackToTheAgentDefaults()
    {
        var op = await Op();
        var a = await op.SubscribedTenantAsync();
        var member = await App.MemberAsync(op, a.TenantId);
        var defaults = await member.GetAsync($"/api/v1/accesses/{a.AccessId}/configuration").Json200();
        Assert.Equal("You are a helpful support agent.", (string?)defaults["system_instructions"]);
        Assert.Equal(0, (int?)defaults["version"]);

        var saved = await member.PutJson($"/api/v1/accesses/{a.AccessId}/configuration", new { display_name = "Ada", tone = "friendly" }).Json200();
        Assert.Equal("Ada", (string?)saved["display_name"]);
        Assert.Equal("You are a helpful support agent.", (string?)saved["system_instructions"]);
        Assert.Equal(1, (int?)saved["version"]);
    }
}

public sealed class TenancyApiOnSqlite(RegistryApp<Sqlite> app) : TenancyApiTests(app), IClassFixture<RegistryApp<Sqlite>>;

public sealed class TenancyApiOnPostgres(RegistryApp<Postgres> app) : TenancyApiTests(app), IClassFixture<RegistryApp<Postgres>>;
