using AgentRegistry;
using AgentRegistry.Infrastructure;

if (CommandLine.IsCommand(args)) return await CommandLine.RunAsync(args);

var builder = WebApplication.CreateBuilder(args);
builder.AddRegistry();
var app = builder.Build();
if (StartupConfiguration.Problems(app.Services) is [_, ..] problems)
{
    foreach (var problem in problems) Console.Error.WriteLine(problem);
    return 2;
}
app.UseRegistry();
await app.RunAsync();
return 0;

public partial class Program;
