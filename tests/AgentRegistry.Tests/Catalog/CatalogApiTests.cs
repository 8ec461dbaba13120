using System.Text;
using AgentRegistry.Tests.Infrastructure;

namespace AgentRegistry.Tests.Catalog;

public abstract class CatalogApiTests(RegistryApp app) : RegistryTest(app)
{
    [Fact]
    public async Task OperatorCreatesAgentWithTwoPlansAndReadsThemBack()
    {
        var op = await Op();
        var seeded = await op.SubscribedTenantAsync();

        var agent = await op.GetAsync($"/api/v1/agents/{seeded.AgentId}").Json200();
        Assert.Equal(seeded.AgentSlug, (string?)agent["slug"]);
        Assert.Equal("offline", (string?)agent["provider"]);

        var plans = (await op.GetAsync($"/api/v1/agents/{seeded.AgentId}/plans").Json200()).AsArray();
        Assert.Equal(["Starter", "Pro"], plans.Select(p => (string?)p!["name"]));
        var messages = plans[0]!["components"]![0]!;
        Assert.Equal("messages", (string?)messages["type"]);
        Assert.Equal(1000m, (decimal?)messages["limit"]);
        Assert.True((bool?)messages["hard_limit"]);
        Assert.Equal(1000, (long?)plans[0]!["components"]![1]!["unit_size"]);
    }

    [Fact]
    public async Task ListsAreSearchableAndPaged()
    {
        var op = await Op();
        var tag = Seed.Unique("paged");
        for (var i = 0; i < 3; i++)
            await op.PostJson("/api/v1/categories", new { name = $"{tag} {i}", slug = $"{tag}-{i}" }).Created();

        var first = await op.GetAsync($"/api/v1/categories?search={tag}&page_size=2").Json200();
        Assert.Equal(3, (int?)first["total"]);
        Assert.Equal(2, first.Items().Count);
        var second = await op.GetAsync($"/api/v1/categories?search={tag}&page_size=2&page=2").Json200();
        Assert.Single(second.Items());
        Assert.Equal($"{tag} 2", (string?)second.Items()[0]!["name"]);
    }

    [Fact]
    public async Task DuplicateSlugIsAConflictAndWritesNothing()
    {
        var op = await Op();
        var slug = Seed.Unique("dup");
        await op.PostJson("/api/v1/categories", new { name = "First", slug }).Created();
        await op.PostJson("/api/v1/categories", new { name = "Second", slug }).Problem(409, "duplicate-slug");

        var list = await op.GetAsync($"/api/v1/categories?search={slug}").Json200();
        Assert.Equal("First", (string?)Assert.Single(list.Items())!["name"]);
    }

    [Fact]
    public async Task InvalidFieldsAreNamedInTheProblem()
    {
        var op = await Op();
        var problem = await op.PostJson("/api/v1/categories", new { name = new string('x', 121), slug = "Not A Slug" }).Problem(422, "validation");
        Assert.NotNull(problem["errors"]!["name"]);
        Assert.NotNull(problem["errors"]!["slug"]);
    }

    [Fact]
    public async Task MalformedJsonAndWrongTypesAreBadRequests()
    {
        var op = await Op();
        await op.PostAsync("/api/v1/categories", new StringContent("{\"name\": ", Encoding.UTF8, "application/json"))
            .Problem(400, "malformed-json");
        var wrongType = await op.PostAsync("/api/v1/categories", new StringContent("{\"name\": 12, \"slug\": \"x\"}", Encoding.UTF8, "application/json"))
            .Problem(400, "malformed-json");
        Assert.NotNull(wrongType["errors"]!["name"]);
    }

    [Fact]
    public async Task AgentWithUnknownCategoryIsRejectedByField()
    {
        var op = await Op();
        var problem = await op.PostJson("/api/v1/agents", new { category_id = Guid.NewGuid(), name = "X", slug = Seed.Unique("x") }).Problem(422, "validation");
        Assert.NotNull(problem["errors"]!["category_id"]);
    }

    [Fact]
    public async Task UnknownIdsAreNotFound()
    {
        var op = await Op();
        await op.GetAsync($"/api/v1/agents/{Guid.NewGuid()}").Problem(404);
        await op.GetAsync($"/api/v1/agents/{Guid.NewGuid()}/plans").Problem(404);
        await op.PutJson($"/api/v1/categories/{Guid.NewGuid()}", new { name = "x", slug = "x" }).Problem(404);
    }

    [Fact]
    public async Task PlanWithRepeatedComponentTypeIsRejected()
    {
        var op = await Op();
        var seeded = await op.SubscribedTenantAsync();
        var component = new { type = "messages", name = "Messages", price = 0.01m };
        var problem = await op.PostJson($"/api/v1/agents/{seeded.AgentId}/plans",
            new { name = "Broken", unit_price = 1m, components = new[] { component, component } }).Problem(422);
        Assert.NotNull(problem["errors"]!["components"]);
        var plans = (await op.GetAsync($"/api/v1/agents/{seeded.AgentId}/plans").Json200()).AsArray();
        Assert.Equal(2, plans.Count);
    }

    [Fact]
    public async Task CategoryWithAgentsCannotBeDeleted()
    {
        var op = await Op();
        var seeded = await op.SubscribedTenantAsync();
        await op.DeleteAsync($"/api/v1/categories/{seeded.CategoryId}").Problem(409, "category-in-use");
        await op.GetAsync($"/api/v1/categories/{seeded.CategoryId}").Json200();
    }

    [Fact]
    public async Task MembersReadTheCatalogButCannotChangeIt()
    {
        var op = await Op();
        var seeded = await op.SubscribedTenantAsync();
        var member = await App.MemberAsync(op, seeded.TenantId);
        await member.GetAsync($"/api/v1/agents/{seeded.AgentId}").Json200();
        await member.PostJson("/api/v1/categories", new { name = "Nope", slug = Seed.Unique("nope") }).Problem(403);
    }
}

public sealed class CatalogApiOnSqlite(RegistryApp<Sqlite> app) : CatalogApiTests(app), IClassFixture<RegistryApp<Sqlite>>;

public sealed class CatalogApiOnPostgres(RegistryApp<Postgres> app) : CatalogApiTests(app), IClassFixture<RegistryApp<Postgres>>;
