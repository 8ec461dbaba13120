using AgentRegistry.Access;
using AgentRegistry.Waldur;
using AgentRegistry.Cli;
using AgentRegistry.Catalog;
using AgentRegistry.Tests.Infrastructure;
using AgentRegistry.Waldur.Client;
using AgentRegistry.Waldur.Reporting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentRegistry.Tests.Waldur;

/// <summary>
/// Month-to-date usage reported to the emulated Waldur over real HTTP: exact to the cent, sent only when it changed,
/// never lowered, filed under the month it occurred in, retried after failures, and final on termination.
/// </summary>
public abstract class UsageReportingTests(RegistryApp app, Marketplace market) : RegistryTest(app)
{
    private readonly UsageReportingJourney _journey = new(app, market);
    /// <summary>The month of the registry's clock, which the reporter reports month-to-date.</summary>
    private DateOnly ThisMonth => TestDates.MonthOf(App.Clock.UtcNow);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task MonthToDateUsageIsReportedToTheCentOnlyWhenItChanges()
    {
        var s = await _journey.SubscribeAsync(await Op());
        await _journey.ChatAsync(s, 3);

        var first = await _journey.PassAsync();
        Assert.True(first.Sent >= 3, $"{first}");
        var expected = await _journey.ExpectedAsync(s.AccessId, ThisMonth);
        Assert.Equal(3m, expected["messages"]);
        Assert.Equal(expected, await _journey.HeldAsync(s.ResourceUuid, ThisMonth));
        var rows = await _journey.ReportsAsync(s.AccessId);
        Assert.Equal(3, rows.Count);
        Assert.All(rows, r => Assert.Equal((UsageReportOutcome.Accepted, 201), (r.Outcome, r.StatusCode)));
        Assert.All(rows, r => Assert.Equal(expected[r.ComponentType], r.Amount));

        // Nothing changed: nothing is sent and nothing recorded.
        var second = await _journey.PassAsync();
        Assert.Equal(0, second.Sent);
        Assert.Equal(3, (await _journey.ReportsAsync(s.AccessId)).Count);

        // More chats raise it; the command line runs the same pass.
        await _journey.ChatAsync(s, 2);
        var output = new StringWriter();
        Assert.Equal(0, await UsageReportCommand.RunAsync(App.Services, ["usage", "report"], output));
        Assert.Contains("sent", output.ToString());
        var raised = await _journey.ExpectedAsync(s.AccessId, ThisMonth);
        Assert.Equal(5m, raised["messages"]);
        Assert.Equal(raised, await _journey.HeldAsync(s.ResourceUuid, ThisMonth));
        Assert.Equal(2, await UsageReportCommand.RunAsync(App.Services, ["usage", "report", "--bogus"], new StringWriter()));
    }

    [Fact]
    public async Task AValueWaldurHoldsIsNeverLowered()
    {
        var s = await _journey.SubscribeAsync(await Op());
        await _journey.ChatAsync(s, 1);
        await _journey.Waldur.SetUsageAsync(s.ResourceUuid, [new ComponentUsageReport("messages", 100m)], ct: Ct);

        await _journey.PassAsync();
        Assert.Equal(100m, (await _journey.HeldAsync(s.ResourceUuid, ThisMonth))["messages"]);
        var refused = Assert.Single(await _journey.ReportsAsync(s.AccessId), r => r.ComponentType == "messages");
        Assert.Equal((UsageReportOutcome.LoweringRefused, 1m), (refused.Outcome, refused.Amount));
        Assert.Contains("never lowered", refused.Answer);
        var expected = await _journey.ExpectedAsync(s.AccessId, ThisMonth);
        Assert.Equal(expected["output_tokens"], (await _journey.HeldAsync(s.ResourceUuid, ThisMonth))["output_tokens"]);

        // Refused once, not again while the amount stays the same.
        var again = await _journey.PassAsync();
        Assert.Equal(0, again.Refused);
        Assert.Single(await _journey.ReportsAsync(s.AccessId), r => r.ComponentType == "messages");
    }

    [Fact]
    public async Task UsageIsFiledUnderTheMonthItOccurredIn()
    {
        var s = await _journey.SubscribeAsync(await Op());
        // The registry and Waldur on the first of a month, minutes after the previous one ended.
        StopClockAt(TestDates.MonthStart);
        await market.SetClockAsync(TestDates.MonthStart);
        try { await FiledUnderTheMonthItOccurredInAsync(s); }
        finally { await market.SetClockAsync(null); }
    }

    private async Task FiledUnderTheMonthItOccurredInAsync(Subscription s)
    {
        var monthStart = ThisMonth.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var previous = ThisMonth.AddMonths(-1);
        await _journey.AddUsageAsync(s.AccessId, "messages", 7, monthStart.AddTicks(-1));
        await _journey.AddUsageAsync(s.AccessId, "input_tokens", 1_505, monthStart.AddDays(-10));
        await _journey.AddUsageAsync(s.AccessId, "messages", 5, monthStart);

        await _journey.PassAsync();
        var before = await _journey.HeldAsync(s.ResourceUuid, previous);
        Assert.Equal(7m, before["messages"]);
        Assert.Equal(1.51m, before["input_tokens"]);
        Assert.False(before.ContainsKey("output_tokens"));
        var now = await _journey.HeldAsync(s.ResourceUuid, ThisMonth);
        Assert.Equal(5m, now["messages"]);
        Assert.False(now.ContainsKey("input_tokens"));
        Assert.All(await _journey.ReportsAsync(s.AccessId), r => Assert.Equal(UsageReportOutcome.Accepted, r.Outcome));
        Assert.Equal([previous, ThisMonth], (await _journey.ReportsAsync(s.AccessId)).Select(r => r.Period).Distinct().Order());
    }

    [Fact]
    public async Task WhenWaldurIsDownTheReportFailsWaitsLongerEachTimeAndSucceedsLater()
    {
        var s = await _journey.SubscribeAsync(await Op());
        await _journey.ChatAsync(s, 2);
        await _journey.FaultAsync("/api/marketplace-component-usages/", 100, 503);
        try
        {
            var failed = await _journey.PassAsync();
            Assert.True(failed.Failed >= 3, $"{failed}");
            var rows = await _journey.ReportsAsync(s.AccessId);
            Assert.Equal(3, rows.Count);
            Assert.All(rows, r => Assert.Equal((UsageReportOutcome.Failed, 503), (r.Outcome, r.StatusCode)));
            Assert.All(rows, r => Assert.Equal(TimeSpan.FromSeconds(600), r.RetryAfter - r.AttemptedAt));
            Assert.All(rows, r => Assert.DoesNotContain(EmulatorToken, r.Answer));

            // The next pass leaves it alone until its retry time...
            await _journey.PassAsync();
            Assert.Equal(3, (await _journey.ReportsAsync(s.AccessId)).Count);

            // ...and when that has come and it fails again, it waits twice as long.
            await MoveBackAsync(s.AccessId, TimeSpan.FromSeconds(601));
            await _journey.PassAsync();
            rows = await _journey.ReportsAsync(s.AccessId);
            Assert.Equal(6, rows.Count);
            Assert.All(rows.Skip(3), r => Assert.Equal(TimeSpan.FromSeconds(1200), r.RetryAfter - r.AttemptedAt));
        }
        finally { await _journey.ClearFaultsAsync(); }

        await MoveBackAsync(s.AccessId, TimeSpan.FromSeconds(1201));
        await _journey.PassAsync();
        Assert.Equal(await _journey.ExpectedAsync(s.AccessId, ThisMonth), await _journey.HeldAsync(s.ResourceUuid, ThisMonth));
        Assert.Equal(3, (await _journey.ReportsAsync(s.AccessId)).Count(r => r.Outcome == UsageReportOutcome.Accepted));
    }

    /// <summary>As if the access's attempts had been made that much earlier.</summary>
    private Task MoveBackAsync(Guid accessId, TimeSpan by) => _journey.QueryAsync(async db =>
    {
        foreach (var r in await db.UsageReports.Where(r => r.AccessId == accessId).ToListAsync(Ct))
            (r.AttemptedAt, r.RetryAfter) = (r.AttemptedAt - by, r.RetryAfter - by);
        return await db.SaveChangesAsync(Ct);
    });

    [Fact]
    public async Task AComponentWaldurDoesNotKnowIsRejectedAndNotRepeatedWhileUnchanged()
    {
        var s = await _journey.SubscribeAsync(await Op());
        await _journey.ChatAsync(s, 1);
        // The plan counts documents too, but the offering in Waldur was published without them.
        await _journey.QueryAsync(async db =>
        {
            var plan = await db.Accesses.Where(a => a.Id == s.AccessId).Select(a => a.Plan!).SingleAsync(Ct);
            plan.Components = [.. plan.Components, new PlanComponent { Type = "documents", Name = "Documents", BillingType = "usage" }];
            return await db.SaveChangesAsync(Ct);
        });
        await _journey.AddUsageAsync(s.AccessId, "documents", 4, App.Clock.UtcNow);

        var result = await _journey.PassAsync();
        Assert.True(result.Rejected >= 1, $"{result}");
        var rejected = Assert.Single(await _journey.ReportsAsync(s.AccessId), r => r.ComponentType == "documents");
        Assert.Equal((UsageReportOutcome.Rejected, 400), (rejected.Outcome, rejected.StatusCode));
        Assert.Contains("documents", rejected.Answer);
        // The components Waldur knows are reported all the same.
        var held = await _journey.HeldAsync(s.ResourceUuid, ThisMonth);
        Assert.Equal(1m, held["messages"]);
        Assert.False(held.ContainsKey("documents"));

        await _journey.PassAsync();
        Assert.Single(await _journey.ReportsAsync(s.AccessId), r => r.ComponentType == "documents");
        // A changed amount is tried again.
        await _journey.AddUsageAsync(s.AccessId, "documents", 1, App.Clock.UtcNow);
        await _journey.PassAsync();
        Assert.Equal(2, (await _journey.ReportsAsync(s.AccessId)).Count(r => r.ComponentType == "documents" && r.Outcome == UsageReportOutcome.Rejected));
    }

    [Fact]
    public async Task TerminationReportsTheFinalUsageAndLateUsageIsRejected()
    {
        var s = await _journey.SubscribeAsync(await Op());
        await _journey.ChatAsync(s, 4);
        await _journey.TerminateAsync(s);

        var expected = await _journey.ExpectedAsync(s.AccessId, ThisMonth);
        Assert.Equal(4m, expected["messages"]);
        Assert.Equal(expected, await _journey.HeldAsync(s.ResourceUuid, ThisMonth));
        Assert.All(await _journey.ReportsAsync(s.AccessId), r => Assert.Equal(UsageReportOutcome.Accepted, r.Outcome));

        // Usage arriving after the resource is gone: Waldur refuses it, and it is not repeated while unchanged.
        await _journey.AddUsageAsync(s.AccessId, "messages", 1, App.Clock.UtcNow);
        await _journey.PassAsync();
        var late = Assert.Single(await _journey.ReportsAsync(s.AccessId), r => r.Outcome != UsageReportOutcome.Accepted);
        Assert.Equal((UsageReportOutcome.Rejected, 400, 5m), (late.Outcome, late.StatusCode, late.Amount));
        await _journey.PassAsync();
        Assert.Single(await _journey.ReportsAsync(s.AccessId), r => r.Outcome != UsageReportOutcome.Accepted);
        Assert.Equal(4m, (await _journey.HeldAsync(s.ResourceUuid, ThisMonth))["messages"]);
    }

    [Fact]
    public async Task AFailedFinalReportKeepsTheTerminateOrderExecutingUntilWaldurTakesIt()
    {
        var s = await _journey.SubscribeAsync(await Op());
        await _journey.ChatAsync(s, 2);
        await _journey.FaultAsync("/api/marketplace-component-usages/", 1000, 503);
        try
        {
            var order = await market.ControlAsync("/emulator/orders", new { offering_uuid = s.OfferingUuid, project_uuid = s.ProjectUuid, type = "Terminate", resource_uuid = s.ResourceUuid.ToString("N") });
            // Two failed attempts: the first did not end the order, so it was tried again.
            var deadline = Deadline.InSeconds(60);
            while ((await _journey.ReportsAsync(s.AccessId)).Where(r => r.Outcome == UsageReportOutcome.Failed).Select(r => r.AttemptedAt).Distinct().Count() < 2)
            {
                Assert.True(deadline.Open, "The final report was not tried twice.");
                await Task.Delay(200, Ct);
            }
            Assert.Equal("executing", (string?)(await market.WaldurAsync($"marketplace-orders/{(string)order["uuid"]!}/"))["state"]);
            Assert.Equal("Terminating", (string?)(await market.WaldurAsync($"marketplace-provider-resources/{s.ResourceUuid:N}/"))["state"]);

            await _journey.ClearFaultsAsync();
            await market.WaitForOrderAsync((string)order["uuid"]!, "done", seconds: 60);
        }
        finally { await _journey.ClearFaultsAsync(); }
        var expected = await _journey.ExpectedAsync(s.AccessId, ThisMonth);
        Assert.Equal(2m, expected["messages"]);
        Assert.Equal(expected, await _journey.HeldAsync(s.ResourceUuid, ThisMonth));
    }

    [Fact]
    public async Task ConcurrentPassesReportEachValueOnce()
    {
        var s = await _journey.SubscribeAsync(await Op());
        await _journey.ChatAsync(s, 3);

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(_journey.PassAsync, Ct)));
        Assert.Equal(await _journey.ExpectedAsync(s.AccessId, ThisMonth), await _journey.HeldAsync(s.ResourceUuid, ThisMonth));
        var rows = await _journey.ReportsAsync(s.AccessId);
        Assert.Equal(3, rows.Count);
        Assert.All(rows, r => Assert.Equal(UsageReportOutcome.Accepted, r.Outcome));
        Assert.Equal(0, results.Sum(r => r.Failed + r.Rejected));
    }

    [Fact]
    public async Task APassWaitsWhileAnotherReplicaHoldsTheLease()
    {
        var s = await _journey.SubscribeAsync(await Op());
        await _journey.ChatAsync(s, 1);
        await _journey.QueryAsync(async db =>
        {
            if (await db.JobLeases.FindAsync([UsageReporter.Lease], Ct) is not { } lease)
                db.JobLeases.Add(lease = new AgentRegistry.Infrastructure.JobLease { Name = UsageReporter.Lease, Holder = "" });
            (lease.Holder, lease.Until) = ("another-replica", App.Clock.UtcNow.AddMinutes(10));
            return await db.SaveChangesAsync(Ct);
        });
        try
        {
            Assert.True((await _journey.PassAsync()).Busy);
            var output = new StringWriter();
            Assert.Equal(1, await UsageReportCommand.RunAsync(App.Services, [], output));
            Assert.Contains("Another replica", output.ToString());
            Assert.Empty(await _journey.ReportsAsync(s.AccessId));
        }
        finally
        {
            await _journey.QueryAsync(db => db.JobLeases.Where(l => l.Name == UsageReporter.Lease).ExecuteDeleteAsync(Ct));
        }
        Assert.False((await _journey.PassAsync()).Busy);
        Assert.Equal(await _journey.ExpectedAsync(s.AccessId, ThisMonth), await _journey.HeldAsync(s.ResourceUuid, ThisMonth));
    }

    private const string EmulatorToken = "emulator-token";
}

public sealed class UsageReportingOnSqlite(ReportingRegistry<Sqlite> app) : UsageReportingTests(app, app.Market), IClassFixture<ReportingRegistry<Sqlite>>;
public sealed class UsageReportingOnPostgres(ReportingRegistry<Postgres> app) : UsageReportingTests(app, app.Market), IClassFixture<ReportingRegistry<Postgres>>;

/// <summary>Without Waldur there is nothing to report to: the pass does nothing and the command says so.</summary>
public sealed class UsageReportingWithoutWaldurTests(RegistryApp<Sqlite> app) : RegistryTest(app), IClassFixture<RegistryApp<Sqlite>>
{
    [Fact]
    public async Task NothingIsReportedAndTheCommandSaysWhy()
    {
        await using var scope = App.Services.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
        Assert.Equal(UsageReportResult.None, await scope.ServiceProvider.GetRequiredService<UsageReporter>().RunAsync(TestContext.Current.CancellationToken));
        var output = new StringWriter();
        Assert.Equal(0, await UsageReportCommand.RunAsync(App.Services, [], output));
        Assert.Contains("integration is off", output.ToString());
    }
}

/// <summary>The scheduled job reports every second: nobody runs a pass by hand.</summary>
public sealed class ScheduledReportingRegistry : WaldurRegistry<Sqlite>
{
    protected override void Configure(IDictionary<string, string?> settings)
    {
        base.Configure(settings);
        ReportingSettings.Apply(settings);
        settings["Metering:ReportSeconds"] = "1";
    }
}

/// <summary>
/// The whole path on its own: a customer orders in Waldur, chats over the API, and the scheduled reporting job leaves
/// Waldur holding exactly the month's usage, to the cent; the command line reports through the same dispatcher.
/// </summary>
public sealed class ScheduledUsageReportingTests(ScheduledReportingRegistry app) : RegistryTest(app), IClassFixture<ScheduledReportingRegistry>
{
    private readonly UsageReportingJourney _journey = new(app, app.Market);

    [Fact]
    public async Task UsageFromChatsReachesWaldurToTheCentWithoutAnyoneAsking()
    {
        var month = TestDates.MonthOf(App.Clock.UtcNow);
        var s = await _journey.SubscribeAsync(await Op());
        await _journey.ChatAsync(s, 7);
        var expected = await _journey.ExpectedAsync(s.AccessId, month);
        Assert.Equal(7m, expected["messages"]);

        Dictionary<string, decimal> held = [];
        for (var i = 0; i < 300 && !Same(held, expected); i++)
        {
            await Task.Delay(200, TestContext.Current.CancellationToken);
            held = await _journey.HeldAsync(s.ResourceUuid, month);
        }
        Assert.Equal(expected, held);

        var output = new StringWriter();
        Assert.Equal(0, await AgentRegistry.Cli.UsageCommands.RunAsync(App.Services, ["report"], output));
        Assert.Contains("0 sent", output.ToString());
    }

    [Fact]
    public async Task AReportingPassIsScheduledJustBeforeEveryMonthEnds()
    {
        var scheduler = await App.Services.GetRequiredService<Quartz.ISchedulerFactory>().GetScheduler(TestContext.Current.CancellationToken);
        var trigger = await scheduler.GetTrigger(new Quartz.TriggerKey("waldur-usage-report-month-end", AgentRegistry.Infrastructure.Scheduling.SchedulerSetup.Group),
            TestContext.Current.CancellationToken);
        Assert.NotNull(trigger);
        var fires = new List<DateTimeOffset>();
        for (var at = new DateTimeOffset(2027, 1, 15, 0, 0, 0, TimeSpan.Zero); fires.Count < 3;)
            fires.Add(at = trigger.GetFireTimeAfter(at)!.Value);
        Assert.Equal([new DateTimeOffset(2027, 1, 31, 23, 55, 0, TimeSpan.Zero), new DateTimeOffset(2027, 2, 28, 23, 55, 0, TimeSpan.Zero),
            new DateTimeOffset(2027, 3, 31, 23, 55, 0, TimeSpan.Zero)], fires);
        Assert.Equal(typeof(AgentRegistry.Infrastructure.Scheduling.ScheduledWorkJob<UsageReportingJob>),
            (await scheduler.GetJobDetail(trigger.JobKey, TestContext.Current.CancellationToken))!.JobType);
    }

    private static bool Same(Dictionary<string, decimal> a, Dictionary<string, decimal> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && v == kv.Value);
}
