using System.Globalization;
using Microsoft.AspNetCore.RateLimiting;

namespace AgentRegistry.Infrastructure.RateLimiting;

public static class RateLimitingSetup
{
    /// <summary>
    /// The rate limiter with one answer for every refusal: 429 problem details with <c>Retry-After</c> (header and
    /// <c>retry_after</c>). Features add their policies with <see cref="AddRateLimitPolicy"/>.
    /// </summary>
    public static IServiceCollection AddRegistryRateLimits(this IServiceCollection services)
    {
        services.AddSingleton<RateLimits>();
        services.AddRateLimiter(o => o.OnRejected = async (context, ct) =>
        {
            var http = context.HttpContext;
            var seconds = RateLimits.RetryAfterSeconds(context.Lease);
            http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            http.Response.StatusCode = 429;
            http.GetEndpoint()?.Metadata.GetMetadata<OnRateLimited>()?.Count();
            await Problems.Result(429, "rate-limited", $"Too many requests; try again in {seconds} s.",
                extensions: new Dictionary<string, object?> { ["retry_after"] = seconds }).ExecuteAsync(http);
        });
        return services;
    }

    /// <summary>Adds a policy built from the registry's <see cref="RateLimits"/> (in process, or shared through Redis).</summary>
    public static IServiceCollection AddRateLimitPolicy(this IServiceCollection services, string name,
        Func<IServiceProvider, RateLimits, IRateLimiterPolicy<string>> policy)
    {
        services.AddOptions<RateLimiterOptions>().Configure<IServiceProvider>((o, sp) => o.AddPolicy(name, policy(sp, sp.GetRequiredService<RateLimits>())));
        return services;
    }
}

/// <summary>Endpoint metadata: what a feature counts when the rate limiter refuses one of its requests (e.g. its refusal metric).</summary>
public sealed record OnRateLimited(Action Count);
