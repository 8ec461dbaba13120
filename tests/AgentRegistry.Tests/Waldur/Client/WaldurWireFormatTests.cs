using AgentRegistry.Waldur.Client;

namespace AgentRegistry.Tests.Waldur.Client;

/// <summary>Hex UUIDs and decimal strings at the edge between the registry and Waldur.</summary>
public sealed class WaldurWireFormatTests
{
    private static readonly Guid Sample = Guid.Parse("4633bbbb-0b3a-4b91-bffc-0e18f853de85");

    [Theory]
    [InlineData("4633bbbb0b3a4b91bffc0e18f853de85")]
    [InlineData("4633bbbb-0b3a-4b91-bffc-0e18f853de85")]
    [InlineData("4633BBBB0B3A4B91BFFC0E18F853DE85")]
    [InlineData(" 4633bbbb0b3a4b91bffc0e18f853de85 ")]
    public void UuidsAreReadWithOrWithoutDashes(string text) => Assert.Equal(Sample, WaldurUuid.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("4633bbbb0b3a4b91bffc0e18f853de8")]
    [InlineData("{4633bbbb-0b3a-4b91-bffc-0e18f853de85}")]
    public void OtherShapesAreNotUuids(string text) => Assert.False(WaldurUuid.TryParse(text, out _));

    [Fact]
    public void UuidsAreWrittenAsLowercaseHex() => Assert.Equal("4633bbbb0b3a4b91bffc0e18f853de85", WaldurUuid.ToHex(Sample));

    [Fact]
    public void UuidIsReadFromTheEndOfAHyperlink()
    {
        Assert.Equal(Sample, WaldurUuid.FromUrl("https://waldur.example.com/api/customers/4633bbbb0b3a4b91bffc0e18f853de85/"));
        Assert.Null(WaldurUuid.FromUrl("https://waldur.example.com/api/customers/"));
    }

    [Theory]
    [InlineData("12.5", "12.50")]
    [InlineData("3", "3.00")]
    [InlineData("0.005", "0.01")]
    [InlineData("1234567.125", "1234567.13")]
    [InlineData("0", "0.00")]
    public void UsageAmountsHaveExactlyTwoDecimals(string amount, string sent) =>
        Assert.Equal(sent, WaldurJson.Amount(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture)));

    [Theory]
    [InlineData("0.002", "0.002")]
    [InlineData("10", "10")]
    [InlineData("0.12345678901", "0.123456789")]
    public void PricesHaveAtMostTenDecimals(string price, string sent) =>
        Assert.Equal(sent, WaldurJson.Price(decimal.Parse(price, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void RecordsIgnoreUnknownFieldsAndReadDecimalStrings()
    {
        var plan = System.Text.Json.JsonSerializer.Deserialize<WaldurPlan>("""
            {"uuid": "4633bbbb0b3a4b91bffc0e18f853de85", "name": "Small", "unit_price": "10.0000000000", "archived": false,
             "prices": {"tokens": 0.002, "seats": "5.00"}, "quotas": {}, "something_new": {"a": 1}}
            """, WaldurJson.Options)!;

        Assert.Equal(10m, plan.UnitPrice);
        Assert.Equal(0.002m, plan.Prices!["tokens"]);
        Assert.Equal(5m, plan.Prices["seats"]);
    }
}
