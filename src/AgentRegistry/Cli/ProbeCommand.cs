namespace AgentRegistry.Cli;

/// <summary>
/// <c>agentregistry probe [url]</c>: the container's health check. Asks <c>/health/live</c> of the registry on this
/// machine (default <c>http://127.0.0.1:{ASPNETCORE_HTTP_PORTS or 8080}/health/live</c>) without building a host; exit 0 when it
/// answers 200, else 1.
/// </summary>
internal static class ProbeCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        var port = (Environment.GetEnvironmentVariable("ASPNETCORE_HTTP_PORTS") ?? "8080").Split(';', ',')[0];
        var url = args.FirstOrDefault() ?? $"http://127.0.0.1:{port}/health/live";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var target))
        {
            output.WriteLine($"error: '{url}' is not a URL.");
            return 2;
        }
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await http.GetAsync(target);
            output.WriteLine($"{target} -> {(int)response.StatusCode}");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            output.WriteLine($"{target} -> unreachable ({e.Message})");
            return 1;
        }
    }
}
