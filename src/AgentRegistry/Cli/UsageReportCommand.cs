using AgentRegistry.Infrastructure;
using AgentRegistry.Waldur.Client;
using AgentRegistry.Waldur.Reporting;
using Microsoft.Extensions.Options;

namespace AgentRegistry.Cli;

/// <summary>
/// <c>agentregistry usage report</c>: one pass of usage reporting to Waldur, as the background job does it.
/// Exit code 0 when nothing failed, 1 when some report failed or was rejected (or another replica is reporting), 2 on bad usage.
/// </summary>
public static class UsageReportCommand
{
    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter? output = null)
    {
        output ??= Console.Out;
        // Accepts its own words too, however the dispatcher passes them on.
        if (args.SkipWhile(a => a == "usage").SkipWhile(a => a == "report").Any())
        {
            output.WriteLine("""
                Usage: agentregistry usage report
                  report every subscription's month-to-date usage to Waldur now (current month, and the previous one
                  within Metering:ReportGraceDays); unchanged values are not sent, failed ones wait for their retry time
                """);
            return 2;
        }
        if (!services.GetRequiredService<IOptions<WaldurOptions>>().Value.Enabled)
        {
            output.WriteLine("The Waldur integration is off (Waldur:ApiUrl and Waldur:Token are empty): nothing to report.");
            return 0;
        }
        await using var scope = services.GetRequiredService<IServiceScopeFactory>().CreateSystemScope("cli");
        var r = await scope.ServiceProvider.GetRequiredService<UsageReporter>().RunAsync(CancellationToken.None);
        if (r.Busy)
        {
            output.WriteLine("Another replica is reporting usage now; try again in a moment.");
            return 1;
        }
        output.WriteLine($"Usage reported to Waldur: {r.Sent} sent, {r.Skipped} unchanged or waiting, {r.Rejected} rejected, {r.Failed} failed, {r.Refused} not lowered.");
        return r.Failed + r.Rejected > 0 ? 1 : 0;
    }
}
