using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace AgentRegistry.Waldur.Client;

/// <summary>
/// Typed client of the part of Waldur's REST API the registry uses (the contract is the OpenAPI subset in
/// tools/WaldurEmulator/openapi). GET, PUT, DELETE and the state-guarded POST actions are retried on transient
/// failures; creating POSTs are not (a lost response could otherwise create twice).
/// </summary>
public sealed partial class WaldurClient(HttpClient http, IOptions<WaldurOptions> options, ILogger<WaldurClient> logger)
{
    /// <summary>Marks a POST that is safe to repeat (state actions, set_usage, set_* fields).</summary>
    internal static readonly HttpRequestOptionsKey<bool> Repeatable = new("AgentRegistry.Waldur.Repeatable");

    /// <summary>Page size of list calls; Waldur allows at most 300, the integration asks for 100.</summary>
    public const int PageSize = 100;

    private const int MaxPages = 10_000;

    private WaldurOptions Options => options.Value;

    private Uri ApiRoot => Options.ApiRoot
        ?? throw new InvalidOperationException("The Waldur integration is off: set Waldur:ApiUrl and Waldur:Token.");

    /// <summary>The hyperlink Waldur expects for a related object, e.g. <c>{ApiUrl}customers/{hex}/</c>.</summary>
    public string Link(string collection, Guid uuid) => new Uri(ApiRoot, $"{collection}/{WaldurUuid.ToHex(uuid)}/").AbsoluteUri;

    private static string Hex(Guid uuid) => WaldurUuid.ToHex(uuid);

    private async Task<T> GetAsync<T>(string path, CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Get, path, null, repeatable: true, ct);
        return await ReadAsync<T>(response, HttpMethod.Get, path, ct);
    }

    /// <summary>Every page of a list: page/page_size, continuing while Link has rel="next" (or X-Result-Count says more).</summary>
    private async Task<IReadOnlyList<T>> ListAsync<T>(string path, WaldurQuery query, CancellationToken ct)
    {
        var items = new List<T>();
        for (var page = 1; page <= MaxPages; page++)
        {
            var pageQuery = query.With("page", page.ToString()).With("page_size", PageSize.ToString());
            using var response = await SendAsync(HttpMethod.Get, path + pageQuery, null, repeatable: true, ct);
            var batch = await ReadAsync<List<T>>(response, HttpMethod.Get, path + pageQuery, ct);
            items.AddRange(batch);
            if (batch.Count == 0 || !WaldurPaging.HasNext(response, items.Count, batch.Count, PageSize)) return items;
        }
        throw new WaldurApiException($"Waldur GET {path} has more than {MaxPages} pages.", null, isTransient: false);
    }

    private async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, bool repeatable, CancellationToken ct)
    {
        using var response = await SendAsync(method, path, body, repeatable, ct);
        return await ReadAsync<T>(response, method, path, ct);
    }

    private async Task SendAndForgetAsync(HttpMethod method, string path, object? body, bool repeatable, CancellationToken ct)
    {
        using var response = await SendAsync(method, path, body, repeatable, ct);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body, bool repeatable, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, new Uri(ApiRoot, path));
        request.Options.Set(Repeatable, repeatable);
        if (body is not null) request.Content = JsonContent.Create(body, body.GetType(), options: WaldurJson.Options);
        var shownPath = request.RequestUri!.PathAndQuery;
        HttpResponseMessage response;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
            WaldurMetrics.WaldurCall(method.Method, WaldurMetrics.CallResult((int)response.StatusCode), System.Diagnostics.Stopwatch.GetElapsedTime(started));
        }
        catch (Exception e) when (e is TimeoutRejectedException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            WaldurMetrics.WaldurCall(method.Method, "timeout", System.Diagnostics.Stopwatch.GetElapsedTime(started));
            LogFailure(method.Method, shownPath, "timed out", e);
            throw WaldurErrors.Transport(method.Method, shownPath, "timed out", e, Options.TokenValue);
        }
        catch (HttpRequestException e)
        {
            WaldurMetrics.WaldurCall(method.Method, "unreachable", System.Diagnostics.Stopwatch.GetElapsedTime(started));
            LogFailure(method.Method, shownPath, "could not be sent", e);
            throw WaldurErrors.Transport(method.Method, shownPath, "could not be sent", e, Options.TokenValue);
        }
        if (response.IsSuccessStatusCode) return response;
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            var error = WaldurErrors.FromResponse(method.Method, shownPath, response.StatusCode, text, Options.TokenValue);
            // A 409 is the expected answer to a repeated state action; callers re-fetch and carry on.
            logger.Log(error.IsStateConflict ? LogLevel.Information : LogLevel.Warning,
                "Waldur {Method} {Path} answered {StatusCode}: {Error}", method.Method, shownPath, (int)response.StatusCode, error.Message);
            throw error;
        }
    }

    private async Task<T> ReadAsync<T>(HttpResponseMessage response, HttpMethod method, string path, CancellationToken ct)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<T>(WaldurJson.Options, ct)
                ?? throw new JsonException("The body is empty or null.");
        }
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            throw WaldurErrors.Unreadable(method.Method, new Uri(ApiRoot, path).PathAndQuery, e, Options.TokenValue);
        }
    }

    private void LogFailure(string method, string path, string what, Exception e) =>
        logger.LogWarning("Waldur {Method} {Path} {Failure}: {Reason}", method, path, what,
            WaldurErrors.Sanitise(e.Message, Options.TokenValue));
}
