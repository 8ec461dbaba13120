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
        ["usage"] = ("Metering: aggregate [--since YYYY-MM-DD], report, reconcile [--month YYYY-MM] [--access <id>] [--json].", (services, args) => UsageCommands.RunAsync(services, args, Console.Out)),
    };

    public static bool IsCommand(string[] args) => args.Length > 0 && (Commands.ContainsKey(args[0]) || args[0] is "help" or "--help" or "-h");

    public static async Task<int> RunAsync(string[] args)
    {
        if (!Commands.TryGetValue(args[0], out var command))
        {
            Console.WriteLine("Usage: agentregistry [command] [--Section:Key=value ...]\n\nWithout a command the web host starts.\n\nCommands:");
            foreach (var (name, (help, _)) in Commands) Console.WriteLine($"  {name,-24}{help}");
            return 0;
        }
        try
        {
            // Settings are the --Section:Key=value arguments; the rest belong to the command.
            var settings = args[1..].Where(a => a.StartsWith("--", StringComparison.Ordinal) && a.Contains('=')).ToArray();
            var builder = WebApplication.CreateBuilder(settings);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.AddRegistry();
            await using var app = builder.Build();
            if (args[0] != "migrate") await DatabaseSetup.MigrateIfEmbeddedAsync(app.Services);
            return await command.Run(app.Services, args[1..].Except(settings).ToArray());
        }
        catch (Exception e) when (e is InvalidOperationException or System.Data.Common.DbException or OptionsValidationException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }

    private static async Task<int> Migrate(IServiceProvider services)
    {
        await DatabaseSetup.MigrateAsync(services);
        Console.WriteLine("Database is up to date.");
        return 0;
    }
}
