using System.ComponentModel.DataAnnotations;

namespace AgentRegistry.Infrastructure.Telemetry;

public enum LogFormat { Text, Json }

/// <summary>Metrics, logs and traces: who may scrape <c>/metrics</c>, the log format, where traces go.</summary>
public sealed class TelemetryOptions : IValidatableObject
{
    public const string Section = "Telemetry";

    /// <summary>Addresses or CIDR ranges (besides loopback) allowed to read <c>/metrics</c>.</summary>
    public List<string> MetricsAllowedNetworks { get; set; } = [];

    /// <summary>A bearer token that opens <c>/metrics</c> from anywhere (compared in constant time).</summary>
    public string? MetricsToken { get; set; }

    /// <summary><c>Text</c> (the console default) or <c>Json</c>: one JSON object per line with trace and span ids.</summary>
    public LogFormat LogFormat { get; set; } = LogFormat.Text;

    /// <summary>OTLP endpoint for traces (e.g. <c>http://otel-collector:4317</c>); empty: no traces are exported.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>How often the webhook inbox and the document pipeline backlogs are measured for the gauges.</summary>
    [Range(1, 3600)]
    public int BacklogSampleSeconds { get; set; } = 15;

    public IEnumerable<ValidationResult> Validate(ValidationContext context)
    {
        foreach (var entry in MetricsAllowedNetworks.Where(e => !NetworkList.IsValid(e)))
            yield return new ValidationResult($"'{entry}' is neither an address nor a CIDR range.", [nameof(MetricsAllowedNetworks)]);
        if (OtlpEndpoint is { Length: > 0 } otlp && !Uri.TryCreate(otlp, UriKind.Absolute, out _))
            yield return new ValidationResult("OtlpEndpoint must be an absolute URL.", [nameof(OtlpEndpoint)]);
    }
}
