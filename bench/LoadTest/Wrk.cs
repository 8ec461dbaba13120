using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

/// <summary>
/// Open-loop-free load from Debian's <c>wrk</c> (a C client that costs far less CPU per request than an HttpClient in
/// this process), with a Lua script that builds each request and checks each response.
/// </summary>
static partial class Wrk
{
    public sealed record Result(string Target, double RequestsPerSecond, double P50, double P90, double P99, long Requests, long Failures,
        string Raw)
    {
        public void Print()
        {
            Console.WriteLine($"  {Target}: {RequestsPerSecond:F0} req/s, p50/p90/p99 {P50:F1} / {P90:F1} / {P99:F1} ms, {Requests} requests, {Failures} failures");
        }
    }

    public static bool Available => File.Exists("/usr/bin/wrk");

    /// <summary>Runs wrk with the script against the URL; failures are what the script's <c>done</c> reports.</summary>
    public static async Task<Result> RunAsync(string target, string url, string script, int connections, int seconds, int threads = 2)
    {
        var file = Path.Combine(Path.GetTempPath(), $"agentregistry-wrk-{Guid.NewGuid():N}.lua");
        await File.WriteAllTextAsync(file, script);
        try
        {
            var psi = new ProcessStartInfo("/usr/bin/wrk", ["-t", threads.ToString(), "-c", connections.ToString(), "-d", $"{seconds}s",
                "--timeout", "10s", "--latency", "-s", file, url])
            { RedirectStandardOutput = true, RedirectStandardError = true };
            using var p = Process.Start(psi)!;
            var output = await p.StandardOutput.ReadToEndAsync();
            var error = await p.StandardError.ReadToEndAsync();
            await p.WaitForExitAsync();
            if (p.ExitCode != 0) throw new InvalidOperationException($"wrk exited {p.ExitCode}: {error}{output}");
            return Parse(target, output);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static Result Parse(string target, string output)
    {
        double Ms(string label)
        {
            var m = Regex.Match(output, $@"^\s*{label}%\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline);
            if (!m.Success) return double.NaN;
            var v = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            return m.Groups[2].Value switch { "us" => v / 1000, "s" => v * 1000, _ => v };
        }
        var rps = double.Parse(Regex.Match(output, @"Requests/sec:\s+([\d.]+)").Groups[1].Value, CultureInfo.InvariantCulture);
        var requests = long.Parse(Regex.Match(output, @"(\d+) requests in").Groups[1].Value, CultureInfo.InvariantCulture);
        var failed = Regex.Match(output, @"failures: (\d+)");
        var socket = Regex.Match(output, @"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)");
        var failures = (failed.Success ? long.Parse(failed.Groups[1].Value) : 0)
            + (socket.Success ? Enumerable.Range(1, 4).Sum(i => long.Parse(socket.Groups[i].Value)) : 0);
        return new Result(target, rps, Ms("50"), Ms("90"), Ms("99"), requests, failures, output);
    }

    /// <summary>Each wrk thread numbered (<c>tid</c>) and counting its failures; a request counter <c>n</c>.</summary>
    private const string Threads = """
        local n = 0
        failures = 0
        local thread_no = 0
        local threads = {}
        function setup(thread)
          thread_no = thread_no + 1
          thread:set("tid", thread_no)
          table.insert(threads, thread)
        end
        """;

    /// <summary>Prints the failures of all threads in a line the parser reads.</summary>
    private const string Failures = """
        function done(summary, latency, requests)
          local f = 0
          for _, t in ipairs(threads) do f = f + (t:get("failures") or 0) end
          io.write("failures: " .. f .. "\n")
        end
        """;

    /// <summary>The same load against the registry and against bare Kestrel, with the registry's CPU per request.</summary>
    public static async Task CompareAsync(string registryUrl, string bareUrl, string script, int connections, int warmup, int seconds,
        Func<double> registryCpu, string per)
    {
        if (warmup > 0) await RunAsync("warm-up", registryUrl, script, connections, warmup);
        var cpu = registryCpu();
        var registry = await RunAsync("registry", registryUrl, script, connections, seconds);
        var used = registryCpu() - cpu;
        registry.Print();
        if (!double.IsNaN(used)) Console.WriteLine($"  registry CPU {used:F2} s for {registry.Requests} requests: {used * 1000 / registry.Requests:F3} ms per {per}");
        var kestrel = await RunAsync("bare Kestrel", bareUrl, script, connections, seconds);
        kestrel.Print();
        Console.WriteLine($"  registry / bare Kestrel: {registry.RequestsPerSecond / kestrel.RequestsPerSecond:P1}");
    }

    /// <summary>A Lua string literal.</summary>
    public static string Lua(string s) => "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n") + "\"";

    /// <summary>
    /// Widget messages: visitor i of N (each with a token and a conversation of their own), the question from a
    /// rotating set, every <paramref name="followUpEvery"/>th message a follow-up in the visitor's conversation, the rest
    /// opening a new one. With <paramref name="unique"/> each question gets a number no cache can have seen.
    /// A response fails unless it is 200 with an answer.
    /// </summary>
    public static string WidgetScript(string path, string origin, IReadOnlyList<string> tokens, IReadOnlyList<string> conversations,
        IReadOnlyList<string> questions, int followUpEvery, bool unique) => $$"""
        local tokens = { {{string.Join(", ", tokens.Select(Lua))}} }
        local conversations = { {{string.Join(", ", conversations.Select(Lua))}} }
        local questions = { {{string.Join(", ", questions.Select(Lua))}} }
        {{Threads}}
        function request()
          n = n + 1
          local v = ((n * 7 + tid * 13) % #tokens) + 1
          local q = questions[(n % #questions) + 1]
          {{(unique ? "q = q .. \" (\" .. tid .. \"-\" .. n .. \")\"" : "")}}
          local body
          if {{followUpEvery}} > 0 and n % {{followUpEvery}} == 0 then
            body = '{"message":"' .. q .. '","conversation_id":"' .. conversations[v] .. '","stream":false}'
          else
            body = '{"message":"' .. q .. '","stream":false}'
          end
          return wrk.format("POST", {{Lua(path)}}, { ["Content-Type"] = "application/json", ["Origin"] = {{Lua(origin)}},
            ["Authorization"] = "Bearer " .. tokens[v] }, body)
        end
        function response(status, headers, body)
          if status ~= 200 or not string.find(body, '"answer"', 1, true) then failures = failures + 1 end
        end
        {{Failures}}
        """;

    /// <summary>Waldur order-created events with distinct order ids and the token header; a response fails unless 202.</summary>
    public static string WebhookScript(string path, string token) => $$"""
        {{Threads}}
        function request()
          n = n + 1
          local id = string.format("%08x%04x%020d", os.time() % 4294967296, tid, n)
          local body = '{"created":"2026-12-01T10:00:00Z","message":"Order created","event_type":"marketplace_order_created",' ..
            '"context":{"order_uuid":"' .. id .. '","order_type":"Create"}' .. '}'
          return wrk.format("POST", {{Lua(path)}}, { ["Content-Type"] = "application/json", ["X-Webhook-Token"] = {{Lua(token)}} }, body)
        end
        function response(status, headers, body)
          if status ~= 202 then failures = failures + 1 end
        end
        {{Failures}}
        """;

    /// <summary>
    /// A bare Kestrel endpoint of the same route shapes: no authentication, no database, the body read and a JSON answer
    /// of the same shape written. The registry's rate as a share of it is the figure that compares across machines.
    /// </summary>
    public static async Task<(WebApplication App, string Url)> StartBareAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(k => { k.Limits.MaxConcurrentConnections = null; k.AddServerHeader = false; });
        var app = builder.Build();
        app.MapPost("/api/widget/v1/{widgetKey}/messages", async (string widgetKey, HttpContext http) =>
        {
            using var doc = await System.Text.Json.JsonDocument.ParseAsync(http.Request.Body);
            var message = doc.RootElement.GetProperty("message").GetString();
            http.Response.Headers.AccessControlAllowOrigin = http.Request.Headers.Origin.ToString();
            await http.Response.WriteAsJsonAsync(new
            {
                conversation_id = Guid.NewGuid(), message_id = Guid.NewGuid(), answer = $"You asked: {message}",
                citations = Array.Empty<object>(), usage = new { input_tokens = 10, output_tokens = 6 },
            });
        });
        app.MapPost("/webhooks/waldur/order/", async (HttpContext http) =>
        {
            using var doc = await System.Text.Json.JsonDocument.ParseAsync(http.Request.Body);
            http.Response.StatusCode = 202;
            await http.Response.WriteAsJsonAsync(new { id = 1, event_type = doc.RootElement.GetProperty("event_type").GetString(), duplicate = false });
        });
        await app.StartAsync();
        return (app, app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }
}
