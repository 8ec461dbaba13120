using AgentRegistry.Infrastructure;

namespace AgentRegistry.Cli;

/// <summary>Subcommands of the same executable: <c>agentregistry migrate</c>, ...</summary>
public static class CommandLine
{
    private static readonly Dictionary<string, (string Help, Func<IServiceProvider, string[], Task<int>> Run)> Commands = new()
    {
        ["migrate"] = ("Apply database migrations and exit.", Migrate),
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
            var builder = WebApplication.CreateBuilder(args[1..]);
            builder.Services.AddRegistryDatabase(builder.Configuration);
            await using var app = builder.Build();
            return await command.Run(app.Services, args[1..]);
        }
        catch (Exception e) when (e is InvalidOperationException or System.Data.Common.DbException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }

    private static async Task<int> Migrate(IServiceProvider services, string[] args)
    {
        await DatabaseSetup.MigrateAsync(services);
        Console.WriteLine("Database is up to date.");
        return 0;
    }
}
