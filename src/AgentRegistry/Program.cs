using AgentRegistry;
using AgentRegistry.Cli;

if (CommandLine.IsCommand(args)) return await CommandLine.RunAsync(args);

var builder = WebApplication.CreateBuilder(args);
builder.AddRegistry();
var app = builder.Build();
app.UseRegistry();
await app.RunAsync();
return 0;

public partial class Program;
