using AgentRegistry.Knowledge;

namespace AgentRegistry.Tests.Knowledge;

public sealed class OfflineAnswerComposerTests
{
    private static readonly PersonaSettings Persona = new("Ada", "Sorry, I don't know that yet.");

    private static readonly RetrievedPassage[] Passages =
    [
        new("Our office is open Monday to Friday. Refunds are issued to the original payment method within five days. "
            + "Contact support for faster help.", 0.82, "Refund policy", "doc-1"),
        new("Shipping is free above 50 euros. Orders ship worldwide within two days.", 0.60, "Shipping guide", "doc-2"),
        new("The cafeteria serves lunch from noon.", 0.31, "Office guide", "doc-3"),
    ];

    private readonly OfflineAnswerComposer _composer = new();

    [Fact]
    public void AnswerIsTheMostRelevantSentenceWithCitation()
    {
        var answer = _composer.Compose("How long do refunds take?", Persona with { AnswerLength = AnswerLength.Short }, Passages);
        Assert.False(answer.IsFallback);
        Assert.StartsWith("Refunds are issued to the original payment method within five days. [1]", answer.Text, StringComparison.Ordinal);
        Assert.EndsWith("\n\nSources:\n[1] Refund policy", answer.Text, StringComparison.Ordinal);
        Assert.Equal([new AnswerCitation(1, "Refund policy", "doc-1")], answer.Citations);
        Assert.DoesNotContain("cafeteria", answer.Text);
    }

    [Fact]
    public void SentencesFromSeveralSourcesAreNumberedInOrder()
    {
        var answer = _composer.Compose("refunds and shipping days", Persona with { AnswerLength = AnswerLength.Long }, Passages);
        Assert.Contains("within five days. [1]", answer.Text);
        Assert.Contains("within two days. [2]", answer.Text);
        Assert.Equal(["Refund policy", "Shipping guide"], answer.Citations.Select(c => c.SourceTitle));
    }

    [Fact]
    public void CitationsCanBeTurnedOff()
    {
        var answer = _composer.Compose("How long do refunds take?", Persona with { CitationsEnabled = false }, Passages);
        Assert.DoesNotContain("[1]", answer.Text);
        Assert.Empty(answer.Citations);
    }

    [Fact]
    public void UnrelatedQuestionGetsTheFallback()
    {
        var answer = _composer.Compose("What is the capital of Mongolia?", Persona, Passages);
        Assert.True(answer.IsFallback);
        Assert.Equal("Sorry, I don't know that yet.", answer.Text);
    }

    [Fact]
    public void NoPassagesGetsTheFallback() =>
        Assert.True(_composer.Compose("How long do refunds take?", Persona, []).IsFallback);

    [Fact]
    public void GreetingIsAnsweredWithTheDisplayName() =>
        Assert.Equal("Hello! I'm Ada. How can I help you?", _composer.Compose("Hi there!", Persona, Passages).Text);

    [Fact]
    public void LengthSettingLimitsTheAnswer()
    {
        string[] products = ["laptops", "phones", "cables", "chairs", "lamps", "books"];
        string[] regions = ["Austria", "Brazil", "Canada", "Denmark", "Egypt"];
        var many = regions.Select((region, i) => new RetrievedPassage(
            string.Join(" ", products.Select((product, j) => $"Refunds for {product} bought in {region} take {i + j + 2} working days.")),
            1 - i * 0.1, $"Doc {i}")).ToArray();
        int Sentences(AnswerLength length) =>
            SentenceSplitter.Split(_composer.Compose("How long do refunds take?", Persona with { AnswerLength = length, CitationsEnabled = false }, many).Text).Count;
        Assert.True(Sentences(AnswerLength.Short) < Sentences(AnswerLength.Medium));
        Assert.True(Sentences(AnswerLength.Medium) < Sentences(AnswerLength.Long));
    }

    [Fact]
    public void OverlappingPassagesDoNotRepeatSentences()
    {
        RetrievedPassage[] overlapping =
        [
            new("Refunds are issued within five days. Refunds for gifts go to the buyer.", 0.9, "Policy"),
            new("Refunds are issued within five days. Partial refunds need approval.", 0.8, "Policy"),
        ];
        var answer = _composer.Compose("How are refunds issued?", Persona with { AnswerLength = AnswerLength.Long, CitationsEnabled = false }, overlapping);
        Assert.Equal(1, CountOf(answer.Text, "within five days"));
    }

    [Fact]
    public void ComposingIsDeterministic()
    {
        var first = _composer.Compose("refunds and shipping days", Persona, Passages);
        Assert.NotEmpty(first.Citations);
        for (var i = 0; i < 10; i++)
        {
            var again = _composer.Compose("refunds and shipping days", Persona, Passages);
            Assert.Equal(first.Text, again.Text);
            Assert.Equal(first.IsFallback, again.IsFallback);
            Assert.Equal(first.Citations, again.Citations);
        }
    }

    [Fact]
    public void StreamPiecesRebuildTheAnswer()
    {
        var answer = _composer.Compose("How long do refunds take?", Persona, Passages);
        var pieces = OfflineAnswerComposer.Stream(answer).ToArray();
        Assert.True(pieces.Length > 10);
        Assert.Equal(answer.Text, string.Concat(pieces));
        Assert.All(pieces, p => Assert.NotEmpty(p));
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
