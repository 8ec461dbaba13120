using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Timeout;

namespace AgentRegistry.Waldur.Client;

/// <summary>
/// Which Waldur failures are retried: transient ones (5xx, 408, 429, attempt timeouts, network errors) of requests
/// that are safe to repeat — GET, PUT, DELETE, and POSTs the client marked repeatable (state-guarded actions, set_usage).
/// </summary>
internal static class WaldurRetry
{
    public static HttpRetryStrategyOptions Strategy(WaldurOptions options, ILogger logger) => new()
    {
        MaxRetryAttempts = options.Retries,
        BackoffType = DelayBackoffType.Exponential,
        UseJitter = true,
        Delay = TimeSpan.FromMilliseconds(options.RetryDelayMilliseconds),
        MaxDelay = TimeSpan.FromSeconds(30),
        ShouldRetryAfterHeader = true,
        ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.Context.GetRequestMessage())),
        OnRetry = args =>
        {
            var request = args.Context.GetRequestMessage();
            logger.LogInformation("Retrying Waldur {Method} {Path} in {Delay} after attempt {Attempt}: {Outcome}",
                request?.Method.Method, request?.RequestUri?.AbsolutePath, args.RetryDelay, args.AttemptNumber + 1,
                args.Outcome.Result is { } r ? ((int)r.StatusCode).ToString() : args.Outcome.Exception?.GetType().Name);
            return ValueTask.CompletedTask;
        },
    };

    public static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, HttpRequestMessage? request) =>
        request is not null && IsRepeatable(request) && IsTransient(outcome);

    public static bool IsRepeatable(HttpRequestMessage request) =>
        request.Method == HttpMethod.Get || request.Method == HttpMethod.Put || request.Method == HttpMethod.Delete
        || request.Method == HttpMethod.Head
        || (request.Options.TryGetValue(WaldurClient.Repeatable, out var repeatable) && repeatable);

    private static bool IsTransient(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Result: { } response } => WaldurApiException.IsTransientStatus(response.StatusCode),
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        _ => false,
    };
}
