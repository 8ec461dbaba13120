using System.Text;

using AgentRegistry.Knowledge;

namespace AgentRegistry.Tests.Knowledge;

public sealed class TextExtractionTests
{
    private readonly DocumentTextReader _reader = new();

    private ExtractedDocument Read(string text, string fileName, string? type = null) =>
        _reader.Read(Fixtures.Text(text), fileName, type, TestContext.Current.CancellationToken);

    [Fact]
    public void PlainTextParagraphsAreJoinedAndSeparated()
    {
        var doc = Read("First line\nstill first.\n\nSecond paragraph.", "a.txt");
        var section = Assert.Single(doc.Sections);
        Assert.Empty(section.HeadingPath);
        Assert.Equal("First line still first.\n\nSecond paragraph.", section.Text);
    }

    [Fact]
    public void Latin1TextIsDecoded()
    {
        var doc = _reader.Read(new MemoryStream(Encoding.Latin1.GetBytes("Caf\u00e9 cr\u00e8me")), "a.txt", null, TestContext.Current.CancellationToken);
        Assert.Equal("Caf\u00e9 cr\u00e8me", doc.Sections[0].Text);
    }

    [Fact]
    public void WhitespaceOnlyTextIsRejectedAsEmpty()
    {
        var ex = Assert.Throws<DocumentRejectedException>(() => Read("  \n\n \t ", "a.txt"));
        Assert.Equal(DocumentRejectionReason.Empty, ex.Reason);
    }

    [Fact]
    public void MarkdownHeadingsBecomeHeadingPaths()
    {
        const string md = """
            # Handbook
            Intro **text** with a [link](http://x).

            ## Billing
            Invoices are sent monthly.

            ### Refunds
            Refunds take `5` days.

            Setext Title
            ============
            - item one
            - item two

            ```
            code line
            ```
            """;
        var doc = Read(md, "h.md");
        Assert.Equal(DocumentKind.Markdown, doc.Kind);
        Assert.Equal(["Handbook"], doc.Sections[0].HeadingPath);
        Assert.Equal("Intro text with a link.", doc.Sections[0].Text);
        Assert.Equal(["Handbook", "Billing"], doc.Sections[1].HeadingPath);
        Assert.Equal(["Handbook", "Billing", "Refunds"], doc.Sections[2].HeadingPath);
        Assert.Equal("Refunds take 5 days.", doc.Sections[2].Text);
        Assert.Equal(["Setext Title"], doc.Sections[3].HeadingPath);
        Assert.Equal("item one\nitem two\n\ncode line", doc.Sections[3].Text);
    }

    [Fact]
    public void MarkdownTableRowsBecomeColumnValuePairsWithoutSeparatorLines()
    {
        var doc = Read("## Prices\n\n| Plan | Price |\n|------|------:|\n| Basic | 10 |\n\n---\n\nAfter the rule.", "p.md");
        Assert.Equal(["Prices"], doc.Sections[0].HeadingPath);
        Assert.Equal("Plan: Basic; Price: 10\n\nAfter the rule.", doc.Sections[0].Text);
    }

    [Fact]
    public void HtmlDropsScriptsAndStylesKeepsStructureAndDecodesEntities()
    {
        const string html = """
            <html><head><title>T</title><style>p { color: red }</style></head>
            <body>
              <script>var secret = "do not index";</script>
              <h1>Fish &amp; Chips</h1>
              <p>Price: 5&nbsp;&euro; &lt;cheap&gt;</p>
              <p>Served <b>hot</b>.</p>
              <h2>Opening</h2>
              <table><tr><th>Day</th><th>Hours</th></tr><tr><td>Mon</td><td>9-5</td></tr></table>
              <noscript>enable js</noscript>
            </body></html>
            """;
        var doc = Read(html, "p.html", "text/html");
        var all = string.Join("\n", doc.Sections.Select(s => s.Text));
        Assert.DoesNotContain("secret", all);
        Assert.DoesNotContain("color", all);
        Assert.DoesNotContain("enable js", all);
        Assert.Equal(["Fish & Chips"], doc.Sections[0].HeadingPath);
        Assert.Equal("Price: 5 \u20ac <cheap>\n\nServed hot.", doc.Sections[0].Text);
        Assert.Equal(["Fish & Chips", "Opening"], doc.Sections[1].HeadingPath);
        Assert.Equal("Day | Hours\nMon | 9-5", doc.Sections[1].Text);
    }

    [Fact]
    public void CsvRowsBecomeHeaderValueLines()
    {
        const string csv = "Product,Price,Notes\r\nWidget,10,\"Blue, large\"\r\nGadget,20,\"says \"\"hi\"\"\nsecond line\"\r\n";
        var doc = Read(csv, "p.csv", "text/csv");
        Assert.Equal(
            "Product: Widget\nPrice: 10\nNotes: Blue, large\n\nProduct: Gadget\nPrice: 20\nNotes: says \"hi\" second line",
            doc.Sections[0].Text);
    }

    [Fact]
    public void SemicolonCsvIsDetected()
    {
        var doc = Read("name;city\nAnna;Graz\n", "p.csv");
        Assert.Equal("name: Anna\ncity: Graz", doc.Sections[0].Text);
    }

    [Fact]
    public void HeaderOnlyCsvIsEmpty() =>
        Assert.Equal(DocumentRejectionReason.Empty,
            Assert.Throws<DocumentRejectedException>(() => Read("a,b,c\n", "p.csv")).Reason);
}
