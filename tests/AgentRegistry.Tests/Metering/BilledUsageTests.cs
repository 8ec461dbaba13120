using AgentRegistry.Catalog;
using AgentRegistry.Metering;

namespace AgentRegistry.Tests.Metering;

public sealed class BilledUsageTests
{
    [Theory]
    [InlineData(0, 1, "0")]
    [InlineData(7, 1, "7")]
    [InlineData(1234, 1000, "1.23")]
    [InlineData(1235, 1000, "1.24")] // half away from zero, not to even
    [InlineData(1225, 1000, "1.23")]
    [InlineData(1, 1000, "0")]
    [InlineData(5, 1000, "0.01")]
    [InlineData(999_999_999_999, 1000, "1000000000")]
    [InlineData(10, 0, "10")] // a unit size of 0 is treated as 1
    public void Rounds_the_total_to_two_decimals_half_away_from_zero(long raw, long unitSize, string expected) =>
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), BilledUsage.Amount(raw, unitSize));

    [Fact]
    public void Only_usage_and_limit_components_with_a_metric_are_reportable()
    {
        PlanComponent C(string type, string billing, string metric = "") => new() { Type = type, Name = type, BillingType = billing, Metric = metric };
        var reportable = BilledUsage.Reportable([C("messages", "usage"), C("tokens", "usage", "input_tokens"), C("seats", "fixed"), C("cpu", "usage"), C("output_tokens", "limit")]);
        Assert.Equal(["messages", "tokens", "output_tokens"], reportable.Select(c => c.Type));
    }
}
