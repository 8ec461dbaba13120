using AgentRegistry.Knowledge;

namespace AgentRegistry.Tests.Knowledge;

/// <summary>Documents of each shape keep their structure: sections, tables, lists, checklists, code, diagrams, clauses.</summary>
public sealed class StructuredExtractionTests
{
    private readonly DocumentTextReader _reader = new();
    private readonly DocumentChunker _chunker = new(Shared.Tokens);

    private ExtractedDocument Read(string text, string fileName) =>
        _reader.Read(Fixtures.Text(text), fileName, null, TestContext.Current.CancellationToken);

    private static DocumentSection Section(ExtractedDocument doc, params string[] path) =>
        Assert.Single(doc.Sections, s => s.HeadingPath.SequenceEqual(path));

    [Fact]
    public void MarkdownInATxtFileIsReadAsMarkdown()
    {
        var doc = Read("# Launch checklist\n\n**Date:** December 11, 2024\n**Target:** Soft launch\n\n## Secrets\n- `WALDUR_API_TOKEN` holds the token\n", "checklist.txt");

        Assert.Equal(DocumentKind.Markdown, doc.Kind);
        Assert.Equal("Date: December 11, 2024\nTarget: Soft launch", Section(doc, "Launch checklist").Text);
        Assert.Equal("WALDUR_API_TOKEN holds the token", Section(doc, "Launch checklist", "Secrets").Text);
    }

    [Fact]
    public void PlainProseInATxtFileStaysPlainText()
    {
        var doc = Read("Refunds take five days. # is not a heading here.\n\nShipping is free.", "notes.txt");

        Assert.Equal(DocumentKind.PlainText, doc.Kind);
        Assert.Empty(Assert.Single(doc.Sections).HeadingPath);
    }

    [Fact]
    public void TableRowsCarryTheirHeaderAsColumnValuePairs()
    {
        var doc = Read("## Error codes\n\n| Code | Meaning | What to do |\n|---|---|---|\n| E1 | Sensor fault | Restart |\n| E4 | Battery low | |\n", "manual.md");

        Assert.Equal("Code: E1; Meaning: Sensor fault; What to do: Restart\nCode: E4; Meaning: Battery low", Section(doc, "Error codes").Text);
    }

    [Fact]
    public void ChecklistItemsKeepTheirStateWithoutBrackets()
    {
        var doc = Read("## Deployment\n1. [ ] Prepare production\n   - [x] Cluster ready\n   - [ ] **Domain** configured\n", "plan.md");

        Assert.Equal("1. Prepare production (to do)\nCluster ready (done)\nDomain configured (to do)", Section(doc, "Deployment").Text);
    }

    [Fact]
    public void BoxDrawingDiagramKeepsOnlyItsWordsLineByLine()
    {
        var doc = Read("## Architecture\n\n```\n┌──────────────┐\n│  PORTAL      │\n│  NO Billing (redirects) │\n└──────┬───────┘\n       ▼\n```\n", "arch.md");

        Assert.Equal("PORTAL\nNO Billing (redirects)", Section(doc, "Architecture").Text);
    }

    [Fact]
    public void CodeBlocksStayTogetherApartFromTheProseAround()
    {
        var doc = Read("## Run\nSet the token first.\n\n```bash\nexport TOKEN=x\npython run.py --smoke\n```\nThen wait.\n", "run.md");

        Assert.Equal("Set the token first.\n\nexport TOKEN=x\npython run.py --smoke\n\nThen wait.", Section(doc, "Run").Text);
    }

    [Fact]
    public void NumberedPolicyClausesBecomeSections()
    {
        var doc = Read("TRAVEL REFUND POLICY\n\n1. Scope\n\n1.1 This policy covers holidays.\n\n2. Refunds\n\n2.1 Refunds are paid within 14 days.\n", "policy.txt");

        Assert.Equal(DocumentKind.PlainText, doc.Kind);
        Assert.Equal("1.1 This policy covers holidays.", Section(doc, "TRAVEL REFUND POLICY", "1. Scope").Text);
        Assert.Equal("2.1 Refunds are paid within 14 days.", Section(doc, "TRAVEL REFUND POLICY", "2. Refunds").Text);
    }

    [Fact]
    public void EveryChunkOfASectionCarriesItsHeadingPath()
    {
        var prose = string.Join(" ", Enumerable.Range(0, 60).Select(i => $"Clause {i} says how refunds are paid back to the card."));
        var doc = Read($"# Policy\n\n## Refunds\n\n{prose}\n", "policy.md");

        var chunks = _chunker.Chunk(doc, new ChunkingOptions { TargetTokens = 100, OverlapTokens = 10 });

        Assert.True(chunks.Count > 3);
        Assert.All(chunks, c => Assert.StartsWith("Policy > Refunds\n\n", c.Text, StringComparison.Ordinal));
    }

    [Fact]
    public void AListThatFitsIsNeverCutAcrossChunks()
    {
        var prose = string.Join(" ", Enumerable.Range(0, 12).Select(i => $"Sentence {i} describes the product."));
        var list = string.Join("\n", Enumerable.Range(0, 8).Select(i => $"- step {i} of the installation"));
        var doc = Read($"# Guide\n\n{prose}\n\n{list}\n", "guide.md");

        var chunks = _chunker.Chunk(doc, new ChunkingOptions { TargetTokens = 120, OverlapTokens = 0 });

        var holding = Assert.Single(chunks, c => c.Body.Contains("step 0", StringComparison.Ordinal));
        Assert.Contains("step 7 of the installation", holding.Body);
    }

    [Fact]
    public void ALongTableIsCutBetweenRowsAndEveryRowKeepsItsHeader()
    {
        var rows = string.Join("\n", Enumerable.Range(0, 60).Select(i => $"| P{i} | {i} euros |"));
        var doc = Read($"# Prices\n\n| Plan | Price |\n|---|---|\n{rows}\n", "prices.md");

        var chunks = _chunker.Chunk(doc, new ChunkingOptions { TargetTokens = 100, OverlapTokens = 0 });

        Assert.True(chunks.Count > 1);
        var lines = chunks.SelectMany(c => c.Body.Split('\n')).ToList();
        Assert.Equal(60, lines.Count);
        Assert.All(lines, l => Assert.Matches(@"^Plan: P\d+; Price: \d+ euros$", l));
    }
}
