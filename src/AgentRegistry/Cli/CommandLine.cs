using AgentRegistry.Infrastructure;
using Microsoft.Extensions.Options;

namespace AgentRegistry.Cli;

/// <summary>Subcommands of the same executable: <c>agentregistry migrate</c>, ...</summary>
public static class CommandLine
{
    private static readonly Dictionary<string, (string Help, Func<IServiceProvider, string[], Task<int>> Run)> Commands = new()
    {
        ["migrate"] = ("Apply database migrations and exit.", (services, _) => Migrate(services)),
        ["waldur"] = ("Waldur: configure-webhooks, publish-agent <slug>, sync-orders.", (services, args) => WaldurCommands.RunAsync(services, args, Console.Out)),
        ["demo"] = ("Fill a running registry wired to the Waldur emulator with a sample (scripts/demo.sh runs it): demo --url <registry> --waldur-url <emulator> --seed <file>.", (services, args) => DemoCommand.RunAsync(services, args, Console.Out)),
        ["usage"] = ("Metering: aggregate [--since YYYY-MM-DD], report, reconcile [--month YYYY-MM] [--access <id>] [--json].", (services, args) => UsageCommands.RunAsync(services, args, Console.Out)),
    };

    /// <summary>Clients of a registry: they start no host and open no database (their arguments, then configuration).</summary>
    private static readonly Dictionary<string, (string Help, Func<string[], IConfiguration, Task<int>> Run)> ClientCommands = new()
    {
        ["e2e"] = ("End-to-end checks against a running registry: e2e --url <base> [--env dev|staging|production] [--smoke] [--category ...] [--junit file].",
            (args, config) => E2e.E2eCommand.RunAsync(args, config, Console.Out)),
        ["probe"] = ("Health check: GET /health/live of the registry on this machine (or the URL given); exit 0 when it answers 200.",
            (args, _) => ProbeCommand.RunAsync(args, Console.Out)),
    };

    public static bool IsCommand(string[] args) => args.Length > 0
        && (Commands.ContainsKey(args[0]) || ClientCommands.ContainsKey(args[0]) || args[0] is "help" or "--help" or "-h");

    public static async Task<int> RunAsync(string[] args)
    {
        if (ClientCommands.TryGetValue(args[0], out var client))
        {
            var clientSettings = args[1..].Where(IsSetting).ToArray();
            return await client.Run(args[1..].Where(a => !IsSetting(a)).ToArray(), ClientConfiguration(clientSettings));
        }
        if (!Commands.TryGetValue(args[0], out var command))
        {
            Console.WriteLine("Usage: agentregistry [command] [--Section:Key=value ...]\n\nWithout a command the web host starts.\n\nCommands:");
            foreach (var (name, help) in Commands.Select(c => (c.Key, c.Value.Help)).Concat(ClientCommands.Select(c => (c.Key, c.Value.Help))).OrderBy(c => c.Item1))
                Console.WriteLine($"  {name,-24}{help}");
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
            return await command.Run(app.Services, args[1..].Except(settings).ToArray());
        }
        catch (Exception e) when (e is InvalidOperationException or System.Data.Common.DbException or OptionsValidationException or HttpRequestException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
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

    private static async Task<int> Migrate(IServiceProvider services)
    {
        await DatabaseSetup.MigrateAsync(services);
        Console.WriteLine("Database is up to date.");
        return 0;
    }
}
