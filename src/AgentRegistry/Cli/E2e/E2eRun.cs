using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace AgentRegistry.Cli.E2e;

public enum CheckOutcome { Passed, Failed, Skipped }

public sealed record CheckResult(string Category, string Name, CheckOutcome Outcome, string Detail, TimeSpan Elapsed);

/// <summary>A check that cannot run here (a missing setting); reported as skipped with the reason.</summary>
public sealed class SkipCheck(string reason) : Exception(reason);

/// <summary>A check failed: what was expected and what came back.</summary>
public sealed class CheckFailed(string message) : Exception(message);

/// <summary>Runs checks in order, prints one line per check as it ends, and keeps the results for the report.</summary>
public sealed class E2eRun(Uri baseUrl, TextWriter output, IReadOnlySet<string> categories)
{
    public Uri BaseUrl { get; } = baseUrl;
    public List<CheckResult> Results { get; } = [];
    public HttpClient Anonymous { get; } = Client(baseUrl, null);

    public static HttpClient Client(Uri baseUrl, string? bearer)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(60) };
        if (bearer is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        client.DefaultRequestHeaders.UserAgent.ParseAdd("agentregistry-e2e/1");
        return client;
    }

    public bool Wants(string category) => categories.Contains(category);

    /// <summary>Runs one check of a category the run includes; returns what it produced (default when it did not pass).</summary>
    public async Task<T?> CheckAsync<T>(string category, string name, Func<Task<(T Value, string Detail)>> check)
    {
        if (!Wants(category)) return default;
        var clock = Stopwatch.StartNew();
        try
        {
            var (value, detail) = await check();
            Record(new CheckResult(category, name, CheckOutcome.Passed, detail, clock.Elapsed));
            return value;
        }
        catch (SkipCheck e) { Record(new CheckResult(category, name, CheckOutcome.Skipped, e.Message, clock.Elapsed)); }
        catch (Exception e) when (e is CheckFailed or HttpRequestException or TaskCanceledException or System.Text.Json.JsonException or InvalidOperationException or NullReferenceException)
        {
            Record(new CheckResult(category, name, CheckOutcome.Failed, e.Message, clock.Elapsed));
        }
        return default;
    }

    public Task CheckAsync(string category, string name, Func<Task<string>> check) =>
        CheckAsync(category, name, async () => (true, await check()));

    private void Record(CheckResult r)
    {
        Results.Add(r);
        var mark = r.Outcome switch { CheckOutcome.Passed => "PASS", CheckOutcome.Failed => "FAIL", _ => "SKIP" };
        output.WriteLine($"{mark}  {r.Category,-9} {r.Name} ({r.Elapsed.TotalMilliseconds:0} ms){(r.Detail.Length > 0 ? ": " + r.Detail : "")}");
    }

    /// <summary>Sends and reads the answer; fails the check unless the status is the expected one.</summary>
    public static async Task<JsonNode?> ExpectAsync(Task<HttpResponseMessage> call, int status, string what)
    {
        using var response = await call;
        var text = await response.Content.ReadAsStringAsync();
        if ((int)response.StatusCode != status)
            throw new CheckFailed($"{what}: expected {status}, got {(int)response.StatusCode} {Shorten(text)}");
        return text.Length > 0 && response.Content.Headers.ContentType?.MediaType?.Contains("json") == true ? JsonNode.Parse(text) : null;
    }

    public static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";

    /// <summary>Polls until <paramref name="probe"/> gives a value, or fails the check after <paramref name="seconds"/>.</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe, int seconds, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            if (await probe() is { } found) return found;
            await Task.Delay(250);
        }
        throw new CheckFailed($"{what} did not happen within {seconds} s.");
    }
}
