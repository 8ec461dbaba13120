using System.Text;
using AgentRegistry.Tests.Infrastructure;
using AgentRegistry.Tests.Knowledge;

namespace AgentRegistry.Tests.Chat;

public abstract class PersonaTests(RegistryApp app) : RegistryTest(app)
{
    private static readonly byte[] Manual = Encoding.UTF8.GetBytes("""
        # Returns
        Customers may return any lamp within 30 days of delivery. Refunds reach the original card within five working days.
        Lamps bought on sale can be exchanged but not refunded. The return label is printed from the order page.
        """);

    [Fact]
    public async Task EverySaveIsAVersionAndRollbackRestoresAnEarlierOne()
    {
        var op = await Op();
        var t = await App.TenantAsync(op);
        var url = $"/api/v1/accesses/{t.Seeded.AccessId}/configuration";
        await t.Member.PutJson(url, new { display_name = "Ada", suggested_questions = new[] { "How do returns work?", " " }, allowed_topics = new[] { "returns" } }).Json200();
        var second = await t.Member.PutJson(url, new { display_name = "Grace", answer_length = "short", citations_enabled = false }).Json200();
        Assert.Equal(2, (int?)second["version"]);
        Assert.Equal("short", (string?)second["answer_length"]);

        var versions = (await t.Member.GetAsync($"{url}/versions").Json200()).AsArray();
        Assert.Equal([2, 1], versions.Select(v => (int)v!["version"]!));
        Assert.Equal(["How do returns work?"], versions[1]!["configuration"]!["suggested_questions"]!.AsArray().Select(q => (string?)q));

        var rolled = await t.Member.PostJson($"{url}/rollback", new { version = 1 }).Json200();
        Assert.Equal("Ada", (string?)rolled["display_name"]);
        Assert.Equal(3, (int?)rolled["version"]);
        Assert.Equal(["returns"], rolled["allowed_topics"]!.AsArray().Select(q => (string?)q));
        Assert.True((bool)rolled["citations_enabled"]!);

        Assert.NotNull((await t.Member.PostJson($"{url}/rollback", new { version = 99 }).Problem(422))["errors"]!["version"]);
        Assert.NotNull((await t.Member.PutJson(url, new { answer_length = "endless" }).Problem(422))["errors"]!["answer_length"]);
        Assert.Equal(3, (await t.Member.GetAsync($"{url}/versions").Json200()).AsArray().Count);
    }

    [Fact]
    public async Task AnswerLengthAndCitationsShapeTheOfflineAnswer()
    {
        var op = await Op();
        var t = await App.TenantAsync(op);
        await t.TrainAsync(Manual, "returns.md", "text/markdown");
        var cited = await t.AskAsync("How many days do customers have to return a lamp?");
        Assert.Contains("30 days", (string?)cited["answer"]);
        Assert.NotEmpty(cited["citations"]!.AsArray());

        await t.Member.PutJson($"/api/v1/accesses/{t.Seeded.AccessId}/configuration", new { answer_length = "short", citations_enabled = false }).Json200();
        var plain = await t.AskAsync("How many days do customers have to return a lamp?");
        Assert.Contains("30 days", (string?)plain["answer"]);
        Assert.Empty(plain["citations"]!.AsArray());
        Assert.DoesNotContain("Sources:", (string?)plain["answer"]);
    }
}

public sealed class PersonaOnSqlite(RegistryApp<Sqlite> app) : PersonaTests(app), IClassFixture<RegistryApp<Sqlite>>;
public sealed class PersonaOnPostgres(RegistryApp<Postgres> app) : PersonaTests(app), IClassFixture<RegistryApp<Postgres>>;
