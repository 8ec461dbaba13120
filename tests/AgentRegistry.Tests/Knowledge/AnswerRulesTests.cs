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
}
