using AgentRegistry.Knowledge;

namespace AgentRegistry.Tests.Knowledge;

/// <summary>Offline answers state the fact: the piece that answers, without source markup, citing its section.</summary>
public sealed class AnswerRulesTests
{
    private static readonly PersonaSettings Persona = new("Ada", "I don't know.", AnswerLength.Short);
    private readonly OfflineAnswerComposer _composer = new();

    private ComposedAnswer Ask(string question, string passage, string section = "", PersonaSettings? persona = null) =>
        _composer.Compose(question, persona ?? Persona, [new RetrievedPassage(passage, 1, "manual", "doc-1", section)]);

    [Fact]
    public void ATableRowIsAnsweredAsColumnValuePairsCitingItsSection()
    {
        var answer = Ask("What does error code E3 mean?",
            "Code: E1; Meaning: Sensor fault; What to do: Restart\nCode: E3; Meaning: Boiler does not respond; What to do: Check the wiring",
            "Nimbus T4 manual > 6. Error codes");

        Assert.Contains("Code: E3; Meaning: Boiler does not respond; What to do: Check the wiring. [1]", answer.Text);
        Assert.EndsWith("[1] manual, \"6. Error codes\"", answer.Text, StringComparison.Ordinal);
        Assert.Equal("6. Error codes", Assert.Single(answer.Citations).Section);
    }

    [Fact]
    public void MarkupOnlyASourceFileNeedsIsTakenOff()
    {
        var answer = Ask("Which variable holds the Waldur API token?",
            "| Variable | Purpose |\n|---|---|\n| `WALDUR_API_TOKEN` | **Waldur** API token |\n- [ ] ┌ Rotate the Waldur token ┐");

        Assert.Contains("WALDUR_API_TOKEN; Waldur API token", answer.Text);
        foreach (var markup in new[] { "|", "`", "**", "[ ]", "┌", "---" })
            Assert.DoesNotContain(markup, answer.Text);
    }

    [Fact]
    public void AWhenQuestionIsAnsweredWithTheDateLineOfTheMatchingSection()
    {
        var answer = Ask("When was the architecture consolidated?",
            "Status: COMPLETE\nDate Completed: December 11, 2024\nDetails: removed duplicate billing pages",
            "Checklist > 8. Architecture Consolidation", Persona with { AnswerLength = AnswerLength.Short, CitationsEnabled = false });

        Assert.Contains("Date Completed: December 11, 2024.", answer.Text);
        Assert.DoesNotContain("duplicate billing", answer.Text);
    }

    [Fact]
    public void AListItemIsAnsweredAloneNotTheWholeList()
    {
        var answer = Ask("Where are the environment variables documented?",
            "Webhook handlers implemented (done)\nEnvironment variables documented in .env.example (done)\nPublish test agent to Waldur marketplace (to do)",
            persona: Persona with { CitationsEnabled = false });

        Assert.Equal("Environment variables documented in .env.example (done)", answer.Text);
    }

    [Fact]
    public void AnAnswerStaysWithinThePersonasLength()
    {
        var longRow = "Notes: " + string.Join(" ", Enumerable.Repeat("the warranty covers parts and labour", 40));

        var answer = Ask("What does the warranty cover?", longRow, persona: Persona with { CitationsEnabled = false });

        Assert.True(answer.Text.Length <= 300, $"{answer.Text.Length} characters");
        Assert.EndsWith("…", answer.Text, StringComparison.Ordinal);
    }

    private const string Specifications = "Property: Display; Value: 3.5-inch colour touchscreen\nProperty: Weight; Value: 180 g\nProperty: Warranty; Value: 3 years";

    private ComposedAnswer AskWithMeaning(string question, string passage, float[]? pieceSimilarities) =>
        _composer.Compose(question, Persona with { CitationsEnabled = false },
            [new RetrievedPassage(passage, 1, "manual", "doc-1", "Nimbus T4 manual > 2. Technical specifications", 0.3, pieceSimilarities)]);

    [Fact]
    public void AQuestionInOtherWordsIsAnsweredWithThePieceClosestInMeaning()
    {
        // "heavy" and "device" stand nowhere in the table: the weight row is the one whose meaning is closest.
        var answer = AskWithMeaning("How heavy is the device?", Specifications, [0.35f, 0.71f, 0.3f]);

        Assert.False(answer.IsFallback);
        Assert.Equal("Property: Weight; Value: 180 g.", answer.Text);
    }

    [Fact]
    public void APieceCloseInMeaningIsAnsweredBesideOneThatSharesAWord()
    {
        // "colour" is shared with the display row alone; the question asks for the weight.
        var answer = AskWithMeaning("What does the colour model weigh?", Specifications, [0.3f, 0.75f, 0.25f]);

        Assert.Contains("Property: Weight; Value: 180 g.", answer.Text);
        Assert.DoesNotContain("Warranty", answer.Text);
    }

    [Fact]
    public void WithoutCloseMeaningOrSharedWordsTheFallbackIsGiven()
    {
        Assert.True(AskWithMeaning("How heavy is the device?", Specifications, null).IsFallback);
        Assert.True(AskWithMeaning("Does it work with solar panels?", Specifications, [0.2f, 0.25f, 0.22f]).IsFallback);
    }
}
