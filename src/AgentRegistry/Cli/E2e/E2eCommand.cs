namespace AgentRegistry.Cli.E2e;

/// <summary>
/// <c>agentregistry e2e</c>: end-to-end checks against a running registry, from outside, over HTTP. Exit 0 when no
/// check failed, 1 when one did, 2 for bad arguments. Needs no database: it is a client of the registry.
/// </summary>
internal static class E2eCommand
{
    private const string Help = """
        Usage: agentregistry e2e [--env dev|staging|production] [--url <base url>] [--smoke] [--category <name>]...
                                 [--token ar_pat_...] [--api-key ar_live_...] [--webhook-token <t>]
                                 [--waldur-url <emulator url>] [--waldur-token <t>] [--junit <file>]
          --env          an environment of E2E:Environments in the configuration (its URL, tokens, Waldur emulator)
          --smoke        only checks that are safe against production: health, reads, a test webhook delivery,
                         the widget loader, and one OpenAI-compatible call when --api-key is given
          --category     webhooks, provider, customer, api, auth, widget or billing (repeatable; default: all)
          --token        an operator's personal access token (scope api:write); the full run needs it
          --waldur-url   the Waldur emulator the full run orders in (the registry must use the same one)
          --junit        also write the results as JUnit XML
        Without --smoke the run creates an agent, orders it in the emulator, uses it, then terminates the order and
        deactivates the agent. Environments marked SmokeOnly refuse the full run.
        """;

    private static readonly string[] Valued = ["--env", "--url", "--category", "--token", "--api-key", "--webhook-token", "--waldur-url", "--waldur-token", "--junit"];

    public static async Task<int> RunAsync(string[] args, IConfiguration config, TextWriter output)
    {
        var options = new Dictionary<string, List<string>>();
        var smoke = false;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--smoke") { smoke = true; continue; }
            if (args[i] is "--help" or "-h") { output.WriteLine(Help); return 0; }
            if (!Valued.Contains(args[i]) || i + 1 >= args.Length) return Bad(output, $"unknown argument or missing value: '{args[i]}'.");
            (options.TryGetValue(args[i], out var list) ? list : options[args[i]] = []).Add(args[++i]);
        }
        string? One(string name) => options.TryGetValue(name, out var v) ? v[^1] : null;

        var envName = One("--env");
        var env = new E2eEnvironment();
        if (envName is not null)
        {
            var section = config.GetSection($"E2E:Environments:{envName}");
            if (!section.Exists()) return Bad(output, $"no environment '{envName}' in E2E:Environments (known: {string.Join(", ", config.GetSection("E2E:Environments").GetChildren().Select(c => c.Key))}).");
            section.Bind(env);
        }
        env.Url = One("--url") ?? env.Url;
        env.Token = One("--token") ?? env.Token;
        env.ApiKey = One("--api-key") ?? env.ApiKey;
        env.WebhookToken = One("--webhook-token") ?? env.WebhookToken;
        env.WaldurUrl = One("--waldur-url") ?? env.WaldurUrl;
        env.WaldurToken = One("--waldur-token") ?? env.WaldurToken;
        if (env.Url is null || !Uri.TryCreate(env.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            return Bad(output, "give the registry's base URL with --url or an --env that has one.");
        var categories = options.GetValueOrDefault("--category") ?? [.. E2eCategories.All];
        if (categories.FirstOrDefault(c => !E2eCategories.All.Contains(c)) is { } unknown)
            return Bad(output, $"unknown category '{unknown}'; use {string.Join(", ", E2eCategories.All)}.");
        if (!smoke && env.SmokeOnly) return Bad(output, $"the environment '{envName}' allows smoke checks only; add --smoke.");
        if (!smoke && (env.Token is null || env.WaldurUrl is null))
            return Bad(output, "the full run needs an operator's --token and the Waldur emulator's --waldur-url; or run --smoke.");

        // A run against a deployment: dated and timed by this machine's clock, not a registry's.
        var started = DateTimeOffset.UtcNow;
        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        output.WriteLine($"E2E {(smoke ? "smoke" : "full")} run against {url} ({envName ?? "no named environment"}), categories: {string.Join(", ", categories)}");
        var run = new E2eRun(url, output, categories.ToHashSet());
        await SmokeChecks.RunAsync(run, env);
        if (!smoke) await new JourneyChecks(run, env).RunAsync();

        var passed = run.Results.Count(r => r.Outcome == CheckOutcome.Passed);
        var failed = run.Results.Count(r => r.Outcome == CheckOutcome.Failed);
        var skipped = run.Results.Count(r => r.Outcome == CheckOutcome.Skipped);
        output.WriteLine($"E2E: {passed} passed, {failed} failed, {skipped} skipped in {elapsed.Elapsed.TotalSeconds:0.0} s");
        if (One("--junit") is { } junit)
        {
            JUnitReport.Of(run.Results, envName ?? url.ToString(), started).Save(junit);
            output.WriteLine($"JUnit report: {Path.GetFullPath(junit)}");
        }
        return failed == 0 ? 0 : 1;
    }

    private static int Bad(TextWriter output, string message)
    {
        output.WriteLine($"error: {message}");
        return 2;
    }
}
