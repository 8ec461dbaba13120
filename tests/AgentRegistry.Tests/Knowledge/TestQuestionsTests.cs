using System.Text;
using System.Text.Json.Nodes;
using AgentRegistry.Tests.Infrastructure;

namespace AgentRegistry.Tests.Knowledge;

public abstract class TestQuestionsTests(RegistryApp app) : RegistryTest(app)
{
    private static string Questions(Trained t) => $"/api/v1/accesses/{t.Seeded.AccessId}/test-questions";

    private const string Manual = "# Nimbus T4 manual\n\n## Specifications\n\n| Property | Value |\n|---|---|\n| Weight | 180 g |\n| Warranty | 3 years |\n\n"
        + "## Factory reset\n\nHold the mode button and the back button together for ten seconds.\n";

    private static async Task<JsonNode> QuestionAsync(Trained t, string id)
    {
        var list = await t.Member.GetAsync(Questions(t)).Json200();
        return list.AsArray().Single(q => q!.Id() == id)!;
    }

    [Fact]
    public async Task ARunShowsWhichQuestionsPassAndThePassagesEachFound()
    {
        var t = await App.TenantAsync(await Op());
        await t.TrainAsync(Encoding.UTF8.GetBytes(Manual), "manual.md");
        var kept = await t.Member.PostJson(Questions(t), new { question = "How long is the warranty?", expected_answer = "3 years" }).Created();
        var wrong = await t.Member.PostJson(Questions(t), new { question = "How long is the warranty?", expected_answer = "5 years" }).Created();
        Assert.Null((bool?)kept["passed"]);

        var run = await t.Member.PostAsync($"{Questions(t)}/run", null).Json200();

        Assert.Equal(1, (int?)run["passed"]);
        Assert.Equal(1, (int?)run["failed"]);
        var passed = await QuestionAsync(t, kept.Id());
        Assert.True((bool?)passed["passed"]);
        var holding = passed["passages"]!.AsArray().First(p => ((string?)p!["text"])!.Contains("Property: Warranty; Value: 3 years"))!;
        Assert.Equal("Nimbus T4 manual > Specifications", (string?)holding["heading_path"]);
        Assert.Equal("manual", (string?)holding["document_title"]);
        Assert.Contains("3 years", (string?)passed["answer"]);
        var failed = await QuestionAsync(t, wrong.Id());
        Assert.False((bool?)failed["passed"]);
        Assert.NotEmpty(failed["passages"]!.AsArray());
    }

    [Fact]
    public async Task AQuestionInOtherWordsIsAnsweredWithTheRowThatMeansIt()
    {
        var t = await App.TenantAsync(await Op());
        await t.TrainAsync(Encoding.UTF8.GetBytes(Manual), "manual.md");
        var heavy = await t.Member.PostJson(Questions(t), new { question = "How heavy is the device?", expected_answer = "180 g" }).Created();

        await t.Member.PostAsync($"{Questions(t)}/run", null).Json200();

        var result = await QuestionAsync(t, heavy.Id());
        Assert.True((bool?)result["passed"]);
        // Neither "heavy" nor "device" stands in the manual: the weight row is chosen by its meaning and the mass it
        // states ("how heavy" asks for one), not the fallback.
        Assert.StartsWith("Property: Weight; Value: 180 g.", (string?)result["answer"]);
        Assert.True(result["passages"]!.AsArray().Count > 0);
    }

    [Fact]
    public async Task EveryDocumentChangeRerunsTheQuestions()
    {
        var t = await App.TenantAsync(await Op());
        var question = await t.Member.PostJson(Questions(t), new { question = "How do I reset the thermostat to factory settings?", expected_answer = "ten seconds" }).Created();

        var doc = await t.TrainAsync(Encoding.UTF8.GetBytes(Manual), "manual.md");
        var until = Deadline.InSeconds(30);
        JsonNode after;
        while ((bool?)(after = await QuestionAsync(t, question.Id()))["passed"] != true)
        {
            Assert.True(until.Open, $"The question was not rerun after the upload: {after}");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        (await t.Member.DeleteAsync($"{t.Documents}/{doc.Id()}", TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();
        var afterDelete = await QuestionAsync(t, question.Id());
        Assert.False((bool?)afterDelete["passed"]);
        Assert.Empty(afterDelete["passages"]!.AsArray());
    }

    [Fact]
    public async Task AQuestionWithoutAnExpectedAnswerIsRefusedAndNothingIsKept()
    {
        var t = await App.TenantAsync(await Op());

        await t.Member.PostJson(Questions(t), new { question = "How long is the warranty?", expected_answer = "" }).Problem(422, "validation");

        Assert.Empty((await t.Member.GetAsync(Questions(t)).Json200()).AsArray());
    }

    [Fact]
    public async Task DeletedQuestionsAreGoneAndAreNotRun()
    {
        var t = await App.TenantAsync(await Op());
        var question = await t.Member.PostJson(Questions(t), new { question = "How heavy is it?", expected_answer = "180 g" }).Created();

        (await t.Member.DeleteAsync($"{Questions(t)}/{question.Id()}", TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();

        var run = await t.Member.PostAsync($"{Questions(t)}/run", null).Json200();
        Assert.Empty(run["questions"]!.AsArray());
        Assert.Equal(404, (int)(await t.Member.DeleteAsync($"{Questions(t)}/{question.Id()}", TestContext.Current.CancellationToken)).StatusCode);
    }
}

public sealed class TestQuestionsOnSqlite(RegistryApp<Sqlite> app) : TestQuestionsTests(app), IClassFixture<RegistryApp<Sqlite>>;

public sealed class TestQuestionsOnPostgres(RegistryApp<Postgres> app) : TestQuestionsTests(app), IClassFixture<RegistryApp<Postgres>>;
