using System.Net;
using System.Text;
using HtmlAgilityPack;

namespace AgentRegistry.Knowledge;

/// <summary>HTML: headings become section markers, block elements become paragraphs, table rows become lines.</summary>
internal sealed class HtmlExtractor : IDocumentTextExtractor
{
    private static readonly HashSet<string> Skipped =
        ["script", "style", "noscript", "template", "svg", "iframe", "head", "object", "canvas"];

    private static readonly HashSet<string> Blocks =
    [
        "p", "div", "section", "article", "main", "header", "footer", "aside", "nav", "blockquote", "pre",
        "ul", "ol", "li", "dl", "dt", "dd", "table", "thead", "tbody", "tfoot", "figure", "figcaption",
        "form", "fieldset", "address", "body", "html", "hr", "br",
    ];

    public DocumentKind Kind => DocumentKind.Html;

    public ExtractedDocument Extract(Stream content, CancellationToken cancellationToken = default)
    {
        var html = new HtmlDocument { OptionMaxNestedChildNodes = 512 };
        html.LoadHtml(TextDecoder.Decode(content));
        var walker = new Walker(new SectionBuilder(Kind));
        walker.Visit(html.DocumentNode);
        return walker.Finish();
    }

    private sealed class Walker(SectionBuilder sections)
    {
        private readonly StringBuilder _inline = new();

        public void Visit(HtmlNode node)
        {
            switch (node.NodeType)
            {
                case HtmlNodeType.Text:
                    _inline.Append(WebUtility.HtmlDecode(((HtmlTextNode)node).Text));
                    return;
                case HtmlNodeType.Comment:
                    return;
            }

            var name = node.Name.ToLowerInvariant();
            if (Skipped.Contains(name))
            {
                return;
            }

            if (name.Length == 2 && name[0] == 'h' && name[1] is >= '1' and <= '6')
            {
                Flush();
                sections.Heading(name[1] - '0', WebUtility.HtmlDecode(node.InnerText));
                return;
            }

            if (name == "tr")
            {
                Flush();
                var cells = node.ChildNodes
                    .Where(c => c.Name is "td" or "th")
                    .Select(c => TextNormalizer.CollapseWhitespace(WebUtility.HtmlDecode(c.InnerText)));
                sections.Line(string.Join(" | ", cells));
                return;
            }

            var block = Blocks.Contains(name);
            if (block)
            {
                Flush();
            }

            foreach (var child in node.ChildNodes)
            {
                Visit(child);
            }

            if (block)
            {
                Flush();
            }
        }

        public ExtractedDocument Finish()
        {
            Flush();
            return sections.Build();
        }

        private void Flush()
        {
            sections.Paragraph(_inline.ToString());
            _inline.Clear();
        }
    }
}
