using System.Net.Http.Headers;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace AgentRegistry.Waldur.Client;

public static class WaldurClientSetup
{
    /// <summary>
    /// Registers <see cref="WaldurClient"/> with options from the "Waldur" section (validated at start) and a
    /// resilience pipeline: total timeout → retries with jittered exponential backoff → per-attempt timeout.
    /// </summary>
    public static IHttpClientBuilder AddWaldurClient(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WaldurOptions>().Bind(configuration.GetSection(WaldurOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();

        var client = services.AddHttpClient<WaldurClient>((sp, http) =>
            {
                var options = sp.GetRequiredService<IOptions<WaldurOptions>>().Value;
                http.Timeout = Timeout.InfiniteTimeSpan; // the pipeline's timeouts govern
                if (options.ApiRoot is { } root) http.BaseAddress = root;
                if (options.Enabled) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Token", options.TokenValue);
                http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            })
            .RedactLoggedHeaders(_ => true);
        client.AddResilienceHandler("waldur", (pipeline, context) =>
        {
            var options = context.ServiceProvider.GetRequiredService<IOptions<WaldurOptions>>().Value;
            var logger = context.ServiceProvider.GetRequiredService<ILogger<WaldurClient>>();
            pipeline.AddTimeout(options.TotalTimeout);
            if (options.Retries > 0) pipeline.AddRetry(WaldurRetry.Strategy(options, logger));
            pipeline.AddTimeout(options.AttemptTimeout);
        });
        return client;
    }
}
