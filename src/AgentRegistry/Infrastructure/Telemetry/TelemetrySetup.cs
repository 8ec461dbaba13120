using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace AgentRegistry.Infrastructure.Telemetry;

/// <summary>
/// OpenTelemetry for the host: HTTP server and client, runtime, and every feature's meter (<c>AgentRegistry.*</c>) at
/// <c>/metrics</c> in the Prometheus text format; traces over OTLP when an endpoint is set; JSON logs when asked.
/// </summary>
public static class TelemetrySetup
{
    public const string MetricsPath = "/metrics";
    public const string ServiceName = "agentregistry";

    public static WebApplicationBuilder AddRegistryTelemetry(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<TelemetryOptions>().BindConfiguration(TelemetryOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var options = builder.Configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        if (options.LogFormat == LogFormat.Json)
        {
            builder.Logging.ClearProviders();
            // Scopes carry the trace and span ids of the request (the host's default activity tracking).
            builder.Logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
        }

        var otel = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(ServiceName, serviceInstanceId: Environment.MachineName))
            .WithMetrics(m => m
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter("AgentRegistry.*")
                // Web requests and LLM calls: buckets around the 500 ms objective and the model's seconds.
                .AddView("http.server.request.duration", new ExplicitBucketHistogramConfiguration
                    { Boundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] })
                .AddPrometheusExporter());
        var otlp = options.OtlpEndpoint is { Length: > 0 } ? options.OtlpEndpoint : builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        if (!string.IsNullOrEmpty(otlp))
        {
            otel.WithTracing(t => t
                .AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments(MetricsPath)
                    && !http.Request.Path.StartsWithSegments("/health"))
                .AddHttpClientInstrumentation()
                .AddSource("AgentRegistry.*")
                .AddOtlpExporter(o => o.Endpoint = new Uri(otlp)));
        }
        services.AddHostedService<MetricSeriesStarter>();
        services.AddHostedService<BacklogSampler>();
        return builder;
    }

    public static WebApplication MapRegistryMetrics(this WebApplication app)
    {
        app.UseMetricsAccess();
        app.MapPrometheusScrapingEndpoint(MetricsPath);
        return app;
    }
}
