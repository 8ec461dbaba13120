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
    public void AQuestionForAKindOfValueIsAnsweredWithThePieceHoldingOneThoughTheAskingWordsAreAbsent()
    {
        // "email address" and "helpdesk" stand nowhere in the passage; an email address does, in a sentence about the subject.
        var answer = AskWithMeaning("What email address reaches the helpdesk?",
            "Open the console and choose the device.\nWrite to support@skyvault.example, Monday to Friday.\nBackups run every night.",
            [0.25f, 0.41f, 0.22f]);

        Assert.False(answer.IsFallback);
        Assert.Equal("Write to support@skyvault.example, Monday to Friday.", answer.Text);
    }

    [Fact]
    public void AHowHeavyQuestionIsAnsweredWithTheMassNotWithASentenceSharingAWord()
    {
        // "device" is shared with the price sentence alone; "how heavy" asks for a mass, which only the weight row holds.
        var answer = AskWithMeaning("How heavy is the device?",
            "The Personal plan costs 6 euros per device per month.\nProperty: Weight; Value: 180 g\nProperty: Warranty; Value: 3 years",
            [0.21f, 0.38f, 0.2f]);

        Assert.Equal("Property: Weight; Value: 180 g.", answer.Text);
    }

    [Theory]
    [InlineData("How heavy is it?", "mass")]
    [InlineData("What does the gadget weigh?", "mass")]
    [InlineData("What are the measurements of the unit?", "size")]
    [InlineData("How long does installation take?", "duration")]
    [InlineData("How quick is a full restore?", "rate")]
    [InlineData("What does the Business subscription cost?", "money")]
    [InlineData("What is the phone number of customer service?", "phone")]
    [InlineData("Which URL does the portal use?", "url")]
    [InlineData("Can I pay for the backup in bitcoin?", null)]
    [InlineData("When was the architecture consolidated?", null)]
    public void TheKindOfValueIsReadFromTheQuestionsWording(string question, string? type) =>
        Assert.Equal(type, AnswerType.Of(question)?.Name);

    [Fact]
    public void AnIdentifierInTheQuestionOutweighsAWordOfTheSameRarity()
    {
        var answer = Ask("What does E4 on the display mean?",
            "Display: 3.5-inch touchscreen\nThe display dims at night\nCode: E4; Meaning: Battery low; What to do: Replace the two AAA batteries",
            persona: Persona with { CitationsEnabled = false });

        Assert.Equal("Code: E4; Meaning: Battery low; What to do: Replace the two AAA batteries.", answer.Text);
    }

    [Fact]
    public void ASectionWithNothingQuotableAnswersWithItsHeading()
    {
        var answer = Ask("How many tasks are complete?", "[################--------] 73%", "Checklist > Overall Status: 8/11 Tasks Complete",
            Persona with { CitationsEnabled = false });

        Assert.Equal("Overall Status: 8/11 Tasks Complete.", answer.Text);
    }

    [Fact]
    public void ARowOfATwoColumnTableIsEmbeddedWithoutItsColumnNamesAndAWiderRowWithThem()
    {
        var embedded = AnswerText.ForEmbedding(
            "Property: Weight; Value: 180 g\nCode: E4; Meaning: Battery low; What to do: Replace the batteries", "Manual > 2. Specifications");

        Assert.Equal(["2. Specifications: Weight: 180 g", "2. Specifications: Code: E4; Meaning: Battery low; What to do: Replace the batteries"],
            embedded);
        // What is quoted keeps the row as the table has it.
        Assert.Equal("Property: Weight; Value: 180 g", AnswerText.Pieces("Property: Weight; Value: 180 g").Single());
    }

    [Fact]
    public void WithoutCloseMeaningOrSharedWordsTheFallbackIsGiven()
    {
        Assert.True(AskWithMeaning("How heavy is the device?", Specifications, null).IsFallback);
        Assert.True(AskWithMeaning("Does it work with solar panels?", Specifications, [0.2f, 0.25f, 0.22f]).IsFallback);
    }
}
