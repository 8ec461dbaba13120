using AgentRegistry.Catalog;
using AgentRegistry.Infrastructure;
using AgentRegistry.Waldur;
using AgentRegistry.Waldur.Client;
using AgentRegistry.Waldur.Provisioning;
using AgentRegistry.Waldur.Publishing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AgentRegistry.Cli;

/// <summary><c>agentregistry waldur ...</c>: set up and drive the Waldur integration from a shell.</summary>
internal static class WaldurCommands
{
    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output)
    {
        var verb = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal));
        if (!services.GetRequiredService<IOptions<WaldurOptions>>().Value.Enabled)
        {
            output.WriteLine("error: the Waldur integration is off; set Waldur:ApiUrl and Waldur:Token (e.g. Waldur__ApiUrl, Waldur__Token).");
            return 1;
        }
        await using var scope = services.GetRequiredService<IServiceScopeFactory>().CreateSystemScope("cli");
        var sp = scope.ServiceProvider;
        return verb switch
        {
            "configure-webhooks" => await ConfigureWebhooksAsync(sp, args, output),
            "publish-agent" => await PublishAsync(sp, args, output),
            "sync-orders" => await SyncOrdersAsync(sp, output),
            _ => Usage(output),
        };
    }

    private static int Usage(TextWriter output)
    {
        output.WriteLine("""
            Usage: agentregistry waldur <command>
              configure-webhooks [--test-endpoints] [--configure] [--dry-run] [--url <public registry url>]
                  show the registry's hooks in Waldur; --configure creates or updates them, --dry-run shows what it would do,
                  --test-endpoints posts a test event to each endpoint of the public URL
              publish-agent <slug>   create or update the agent's Waldur offering and activate it
              sync-orders            act on every pending-provider and executing order now
            """);
        return 2;
    }

    private static async Task<int> ConfigureWebhooksAsync(IServiceProvider sp, string[] args, TextWriter output)
    {
        var url = Option(args, "--url") ?? sp.GetRequiredService<IOptions<MarketplaceOptions>>().Value.PublicUrl;
        if (url is null || !Uri.TryCreate(url, UriKind.Absolute, out var registry))
        {
            output.WriteLine("error: give the registry's public URL with --url or Waldur:Marketplace:PublicUrl.");
            return 2;
        }
        var configurator = sp.GetRequiredService<WebhookConfigurator>();
        if (await configurator.VisibilityWarningAsync(CancellationToken.None) is { } warning) output.WriteLine($"warning: {warning}");

        var failed = false;
        if (args.Contains("--test-endpoints"))
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            foreach (var endpoint in WebhookConfigurator.EventTypes.Keys)
            {
                var target = new Uri(registry, $"/webhooks/waldur/{endpoint}/");
                try
                {
                    var body = $$"""{"created": "{{DateTime.UtcNow:O}}", "message": "endpoint test", "context": {}, "event_type": "agentregistry_endpoint_test"}""";
                    var response = await http.PostAsync(target, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
                    failed |= (int)response.StatusCode != 202;
                    output.WriteLine($"  {target} -> {(int)response.StatusCode}");
                }
                catch (HttpRequestException e)
                {
                    failed = true;
                    output.WriteLine($"  {target} -> unreachable ({e.Message})");
                }
            }
        }

        var plan = await configurator.PlanAsync(registry, CancellationToken.None);
        foreach (var change in plan)
            output.WriteLine($"{change.Endpoint,-9} {change.Action,-7} {Redacted(change.Destination)} ({change.EventTypes.Count} event types)");
        if (args.Contains("--configure") && !args.Contains("--dry-run"))
        {
            await configurator.ApplyAsync(plan, CancellationToken.None);
            output.WriteLine($"Configured: {plan.Count(c => c.Action != HookChange.Keep)} hook(s) created or updated.");
        }
        else if (plan.Any(c => c.Action != HookChange.Keep))
        {
            output.WriteLine("Run with --configure to apply.");
        }
        return failed ? 1 : 0;
    }

    private static async Task<int> PublishAsync(IServiceProvider sp, string[] args, TextWriter output)
    {
        var slug = args.Skip(1).FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal));
        if (slug is null) return Usage(output);
        var db = sp.GetRequiredService<RegistryDb>();
        var agent = await db.Agents.AsNoTracking().FirstOrDefaultAsync(a => a.Slug == slug);
        if (agent is null)
        {
            output.WriteLine($"error: no agent has the slug '{slug}'.");
            return 1;
        }
        try
        {
            var published = await sp.GetRequiredService<OfferingPublisher>().PublishAsync(agent.Id, CancellationToken.None);
            output.WriteLine($"Published {published.Slug} as Waldur offering {published.WaldurOfferingUuid:N} ({published.WaldurOfferingState}).");
            return 0;
        }
        catch (Exception e) when (e is RegistryException or WaldurApiException)
        {
            output.WriteLine($"error: {e.Message}");
            return 1;
        }
    }

    private static async Task<int> SyncOrdersAsync(IServiceProvider sp, TextWriter output)
    {
        var acted = await sp.GetRequiredService<OrderPoll>().SyncAsync(CancellationToken.None);
        output.WriteLine($"Acted on {acted} order(s).");
        return 0;
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static string Redacted(Uri destination) => destination.Query.Length > 0 ? destination.GetLeftPart(UriPartial.Path) + "?token=***" : destination.ToString();
}
