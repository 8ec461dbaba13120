using AgentRegistry.Cli;

namespace AgentRegistry.Tests.Infrastructure;

/// <summary>
/// Runs <c>agentregistry &lt;command&gt;</c> in-process against a test registry's settings and captures what it prints
/// to a writer of its own (never the process-wide console, which tests running in parallel share).
/// </summary>
public static class CommandLineRunner
{
    public static async Task<(int Exit, string Output)> RunAsync(RegistryApp app, params string[] args)
    {
        var settings = app.Settings.Where(s => s.Value is not null && !s.Key.StartsWith("Logging", StringComparison.Ordinal))
            .Select(s => $"--{s.Key}={s.Value}");
        var output = new StringWriter();
        var exit = await CommandLine.RunAsync([args[0], .. settings, .. args[1..]], output, output);
        return (exit, output.ToString());
    }
}
