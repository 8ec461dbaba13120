using AgentRegistry.Cli;

namespace AgentRegistry.Tests.Infrastructure;

/// <summary>
/// Runs <c>agentregistry &lt;command&gt;</c> in-process against a test registry's settings and captures what it prints.
/// The console is process-wide, so one command runs at a time across all test classes.
/// </summary>
public static class CommandLineRunner
{
    private static readonly SemaphoreSlim ConsoleGate = new(1, 1);

    public static async Task<(int Exit, string Output)> RunAsync(RegistryApp app, params string[] args)
    {
        var settings = app.Settings.Where(s => s.Value is not null && !s.Key.StartsWith("Logging", StringComparison.Ordinal))
            .Select(s => $"--{s.Key}={s.Value}");
        await ConsoleGate.WaitAsync(TestContext.Current.CancellationToken);
        var original = Console.Out;
        var output = new StringWriter();
        Console.SetOut(output);
        try
        {
            return (await CommandLine.RunAsync([args[0], .. settings, .. args[1..]]), output.ToString());
        }
        finally
        {
            Console.SetOut(original);
            ConsoleGate.Release();
        }
    }
}
