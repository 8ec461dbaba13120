using AgentRegistry.Tests.Infrastructure;

namespace AgentRegistry.Tests.Security;

/// <summary>Members read the catalog (names, descriptions, plans) without how each agent is built.</summary>
public abstract class CatalogViewTests(RegistryApp app) : RegistryTest(app)
{
    [Fact]
    public async Task MembersReadTheCatalogWithoutPromptsOrEndpoints()
    {
        var op = await Op();
        var seeded = await op.SubscribedTenantAsync();
        var secretPrompt = $"Internal prompt {Guid.NewGuid():N}";
        var other = await op.PostJson("/api/v1/agents", new
        {
            category_id = seeded.CategoryId, name = "Sales", slug = Seed.Unique("sales"), default_persona = secretPrompt,
            provider = "openai", model = "m", endpoint = "https://llm.internal.example/v1",
        }).Created();
        var member = await App.MemberAsync(op, seeded.TenantId);

        var list = await member.GetAsync($"/api/v1/agents?search={(string)other["slug"]!}").Json200();
        var listed = Assert.Single(list.Items());
        Assert.Equal("Sales", (string?)listed!["name"]);
        var one = await member.GetAsync($"/api/v1/agents/{other.Id()}").Json200();
        foreach (var view in new[] { listed, one })
        {
            Assert.Null((string?)view["default_persona"]);
            Assert.Null((string?)view["endpoint"]);
            Assert.DoesNotContain(secretPrompt, view.ToJsonString());
            Assert.DoesNotContain("llm.internal.example", view.ToJsonString());
        }
        // Operators still see everything.
        var full = await op.GetAsync($"/api/v1/agents/{other.Id()}").Json200();
        Assert.Equal(secretPrompt, (string?)full["default_persona"]);
        Assert.Equal("https://llm.internal.example/v1", (string?)full["endpoint"]);
    }
}

public sealed class CatalogViewOnSqlite(RegistryApp<Sqlite> app) : CatalogViewTests(app), IClassFixture<RegistryApp<Sqlite>>;

public sealed class CatalogViewOnPostgres(RegistryApp<Postgres> app) : CatalogViewTests(app), IClassFixture<RegistryApp<Postgres>>;
