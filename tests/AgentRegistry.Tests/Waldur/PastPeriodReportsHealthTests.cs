using AgentRegistry.Waldur;
using System.Text.Json.Nodes;
using AgentRegistry.Infrastructure;
using AgentRegistry.Tests.Infrastructure;
using AgentRegistry.Waldur.Reporting;
using Microsoft.Extensions.DependencyInjection;

namespace AgentRegistry.Tests.Waldur;

/// <summary>Rejected reports of last month degrade health until a later report of the same value is taken.</summary>
public sealed class PastPeriodReportsHealthTests(RegistryApp<Sqlite> app) : RegistryTest(app), IClassFixture<RegistryApp<Sqlite>>
{
    private async Task<(string Status, JsonNode? Data)> HealthAsync()
    {
        var check = (await App.Anonymous().GetAsync("/health/ready").Json200())["checks"]!["past-period-reports"]!;
        return ((string)check["status"]!, check["data"]);
    }

    private async Task ReportAsync(Seeded s, DateOnly period, UsageReportOutcome outcome, DateTime at)
    {
        await using var scope = App.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<Caller>().AsSystem();
        var db = scope.ServiceProvider.GetRequiredService<RegistryDb>();
        db.UsageReports.Add(new WaldurUsageReport
        {
            TenantId = Guid.Parse(s.TenantId), AccessId = Guid.Parse(s.AccessId), ResourceUuid = Guid.NewGuid(), ComponentType = "messages",
            Period = period, Amount = 12, RawQuantity = 12, Outcome = outcome, AttemptedAt = at,
            StatusCode = outcome == UsageReportOutcome.Rejected ? 400 : 201,
            Answer = outcome == UsageReportOutcome.Rejected ? "Billing period is closed." : null,
        });
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task ARejectedReportOfLastMonthDegradesHealthUntilTheValueIsTaken()
    {
        var s = await (await Op()).SubscribedTenantAsync();
        App.Clock.RunFrom(new DateTimeOffset(2031, 3, 2, 9, 0, 0, TimeSpan.Zero));
        try
        {
            var (status, _) = await HealthAsync();
            Assert.Equal("Healthy", status);

            // A provider token reporting February after Waldur closed it: rejected, February's invoice misses it.
            await ReportAsync(s, new DateOnly(2031, 2, 1), UsageReportOutcome.Rejected, new DateTime(2031, 3, 1, 0, 20, 0, DateTimeKind.Utc));
            // This month's rejection is another alert's business (reports failing), not a closed month's.
            await ReportAsync(s, new DateOnly(2031, 3, 1), UsageReportOutcome.Rejected, new DateTime(2031, 3, 1, 0, 21, 0, DateTimeKind.Utc));
            (status, var data) = await HealthAsync();
            Assert.Equal("Degraded", status);
            Assert.Equal("2031-02", (string?)data!["month"]);
            Assert.Equal(1, (int)data["rejected"]!);

            // Reported again with a staff token and taken: healthy again.
            await ReportAsync(s, new DateOnly(2031, 2, 1), UsageReportOutcome.Accepted, new DateTime(2031, 3, 1, 8, 0, 0, DateTimeKind.Utc));
            (status, _) = await HealthAsync();
            Assert.Equal("Healthy", status);
        }
        finally { App.Clock.Resume(); }
    }
}
