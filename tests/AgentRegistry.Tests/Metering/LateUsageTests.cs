using System.Text.Json.Nodes;
using AgentRegistry.Tests.Infrastructure;

namespace AgentRegistry.Tests.Metering;

/// <summary>A registry whose billing months close as soon as they end (no grace period for reporting).</summary>
public sealed class NoReportGraceRegistry : RegistryApp<Sqlite>
{
    protected override void Configure(IDictionary<string, string?> settings) => settings["Metering:ReportGraceDays"] = "0";
}

public sealed class LateUsageTests(NoReportGraceRegistry app) : RegistryTest(app), IClassFixture<NoReportGraceRegistry>
{
    [Fact]
    public async Task UsageOfAClosedBillingMonthIsAcceptedAndFlaggedLate()
    {
        var now = StopClockAt(TestDates.MonthStart);
        var op = await Op();
        var s = await op.SubscribedTenantAsync();
        var key = App.WithKey(await op.IssueKeyAsync(s.AccessId, "usage:write"));
        var answer = await key.PostJson("/api/v1/usage/events", new
        {
            events = new object[]
            {
                new { id = "now", metric = "messages", quantity = 1, occurred_at = now },
                new { id = "last-month", metric = "messages", quantity = 2, occurred_at = now.AddDays(-33) },
            },
        }).Json200();
        Assert.Equal(2, (int)answer["accepted"]!);
        var results = answer["results"]!.AsArray();
        Assert.False((bool)results[0]!["late"]!);
        Assert.Null(results[0]!["reason"]);
        Assert.True((bool)results[1]!["late"]!);
        Assert.Equal("accepted", (string?)results[1]!["status"]);
        Assert.Contains("is closed", (string?)results[1]!["reason"]);

        // Re-sending it is a duplicate, not late usage counted again.
        var again = await key.PostJson("/api/v1/usage/events", new { events = new[] { new { id = "last-month", metric = "messages", quantity = 2, occurred_at = now.AddDays(-33) } } }).Json200();
        Assert.Equal("duplicate", (string?)again["results"]![0]!["status"]);
    }
}

/// <summary>Usage of a past month within the reporting grace days: reported, but Waldur closed its invoice on the 1st.</summary>
public sealed class ClosedInvoiceUsageTests(RegistryApp<Sqlite> app) : RegistryTest(app), IClassFixture<RegistryApp<Sqlite>>
{
    [Fact]
    public async Task UsageOfLastMonthWithinTheGraceDaysIsFlaggedLateBecauseItsInvoiceIsClosed()
    {
        var op = await Op();
        var s = await op.SubscribedTenantAsync();
        var key = App.WithKey(await op.IssueKeyAsync(s.AccessId, "usage:write"));
        App.Clock.RunFrom(new DateTimeOffset(2026, 12, 1, 0, 30, 0, TimeSpan.Zero));
        try
        {
            var answer = await key.PostJson("/api/v1/usage/events", new
            {
                events = new object[]
                {
                    new { id = "after-midnight", metric = "messages", quantity = 1, occurred_at = new DateTime(2026, 12, 1, 0, 10, 0, DateTimeKind.Utc) },
                    new { id = "before-midnight", metric = "messages", quantity = 2, occurred_at = new DateTime(2026, 11, 30, 23, 58, 0, DateTimeKind.Utc) },
                },
            }).Json200();
            var results = answer["results"]!.AsArray();
            Assert.Equal(["accepted", "accepted"], results.Select(r => (string?)r!["status"]));
            Assert.False((bool)results[0]!["late"]!);
            Assert.True((bool)results[1]!["late"]!);
            Assert.Equal("Waldur closed the invoice of 2026-11 on 2026-12-01; the usage is stored and reported but not invoiced", (string?)results[1]!["reason"]);
        }
        finally { App.Clock.Resume(); }
    }
}
