using AgentRegistry.Cli;
using AgentRegistry.Infrastructure;
using Microsoft.Extensions.Options;

namespace AgentRegistry;

/// <summary>
/// Subcommands of the same executable: <c>agentregistry migrate</c>, ... Part of the host: a command that needs the
/// registry builds it as the web host does (<see cref="RegistryHost"/>); the commands themselves live in Cli.
/// </summary>
public static class CommandLine
{
    private static readonly Dictionary<string, (string Help, Func<IServiceProvider, string[], TextWriter, Task<int>> Run)> Commands = new()
    {
        ["migrate"] = ("Apply database migrations and exit.", (services, _, output) => Migrate(services, output)),
        ["waldur"] = ("Waldur: configure-webhooks, publish-agent <slug>, sync-orders.", WaldurCommands.RunAsync),
        ["demo"] = ("Fill a running registry wired to the Waldur emulator with a sample (scripts/demo.sh runs it): demo --url <registry> --waldur-url <emulator> --seed <file>.", DemoCommand.RunAsync),
        ["usage"] = ("Metering: aggregate [--since YYYY-MM-DD], report, reconcile [--month YYYY-MM] [--access <id>] [--json], invoice [--month YYYY-MM] [--access <id>] [--json].", UsageCommands.RunAsync),
    };

    /// <summary>Clients of a registry: they start no host and open no database (their arguments, then configuration).</summary>
    private static readonly Dictionary<string, (string Help, Func<string[], IConfiguration, TextWriter, Task<int>> Run)> ClientCommands = new()
    {
        ["e2e"] = ("End-to-end checks against a running registry: e2e --url <base> [--env dev|staging|production] [--smoke] [--category ...] [--junit file].",
            Cli.E2e.E2eCommand.RunAsync),
        ["probe"] = ("Health check: GET /health/live of the registry on this machine (or the URL given); exit 0 when it answers 200.",
            (args, _, output) => ProbeCommand.RunAsync(args, output)),
    };

    public static bool IsCommand(string[] args) => args.Length > 0
        && (Commands.ContainsKey(args[0]) || ClientCommands.ContainsKey(args[0]) || args[0] is "help" or "--help" or "-h");

    /// <summary>Runs the command <c>args[0]</c>; it prints to <paramref name="output"/> and <paramref name="error"/> (the console when not given).</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter? output = null, TextWriter? error = null)
    {
        output ??= Console.Out;
        error ??= Console.Error;
        if (ClientCommands.TryGetValue(args[0], out var client))
        {
            var clientSettings = args[1..].Where(IsSetting).ToArray();
            return await client.Run(args[1..].Where(a => !IsSetting(a)).ToArray(), ClientConfiguration(clientSettings), output);
        }
        if (!Commands.TryGetValue(args[0], out var command))
        {
            output.WriteLine("Usage: agentregistry [command] [--Section:Key=value ...]\n\nWithout a command the web host starts.\n\nCommands:");
            foreach (var (name, help) in Commands.Select(c => (c.Key, c.Value.Help)).Concat(ClientCommands.Select(c => (c.Key, c.Value.Help))).OrderBy(c => c.Item1))
                output.WriteLine($"  {name,-24}{help}");
            return 0;
        }
        try
        {
            // Settings are the --Section:Key=value arguments; the rest belong to the command.
            var settings = args[1..].Where(IsSetting).ToArray();
            var builder = WebApplication.CreateBuilder(settings);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.AddRegistry();
            await using var app = builder.Build();
            if (args[0] != "migrate") await DatabaseSetup.MigrateIfEmbeddedAsync(app.Services);
            return await command.Run(app.Services, args[1..].Except(settings).ToArray(), output);
        }
        catch (Exception e) when (e is InvalidOperationException or System.Data.Common.DbException or OptionsValidationException or HttpRequestException)
        {
            error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }

    private static bool IsSetting(string arg) => arg.StartsWith("--", StringComparison.Ordinal) && arg.Contains('=');

    /// <summary>The configuration a client command reads without starting a host: appsettings, environment, --Section:Key=value.</summary>
    private static IConfiguration ClientConfiguration(string[] settings) => new ConfigurationBuilder()
        .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
        .AddEnvironmentVariables()
        .AddCommandLine(settings)
        .Build();

    private static async Task<int> Migrate(IServiceProvider services, TextWriter output)
    {
        await DatabaseSetup.MigrateAsync(services);
        output.WriteLine("Database is up to date.");
        return 0;
    }
}
