using System.Globalization;
using System.Xml.Linq;

namespace AgentRegistry.Cli.E2e;

/// <summary>The run as JUnit XML: one test suite per category, one test case per check, for CI dashboards.</summary>
public static class JUnitReport
{
    public static XDocument Of(IReadOnlyList<CheckResult> results, string environment, DateTimeOffset startedAt)
    {
        static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture);
        var suites = results.GroupBy(r => r.Category).Select(g => new XElement("testsuite",
            new XAttribute("name", $"agentregistry.e2e.{g.Key}"),
            new XAttribute("tests", g.Count()),
            new XAttribute("failures", g.Count(r => r.Outcome == CheckOutcome.Failed)),
            new XAttribute("skipped", g.Count(r => r.Outcome == CheckOutcome.Skipped)),
            new XAttribute("time", Seconds(TimeSpan.FromTicks(g.Sum(r => r.Elapsed.Ticks)))),
            new XAttribute("timestamp", startedAt.UtcDateTime.ToString("s", CultureInfo.InvariantCulture)),
            new XElement("properties", new XElement("property", new XAttribute("name", "environment"), new XAttribute("value", environment))),
            g.Select(r => new XElement("testcase",
                new XAttribute("classname", $"agentregistry.e2e.{r.Category}"),
                new XAttribute("name", r.Name),
                new XAttribute("time", Seconds(r.Elapsed)),
                r.Outcome switch
                {
                    CheckOutcome.Failed => new XElement("failure", new XAttribute("message", r.Detail), r.Detail),
                    CheckOutcome.Skipped => new XElement("skipped", new XAttribute("message", r.Detail)),
                    _ => null,
                }))));
        return new XDocument(new XElement("testsuites",
            new XAttribute("name", "agentregistry e2e"),
            new XAttribute("tests", results.Count),
            new XAttribute("failures", results.Count(r => r.Outcome == CheckOutcome.Failed)),
            new XAttribute("skipped", results.Count(r => r.Outcome == CheckOutcome.Skipped)),
            suites));
    }
}
