using System.Diagnostics.Metrics;

namespace AgentRegistry.Metering;

/// <summary>Usage events sent by external agent runtimes, by result.</summary>
public static class MeteringMetrics
{
    private static readonly Meter Meter = new("AgentRegistry.Metering");

    private static readonly Counter<long> Events = Meter.CreateCounter<long>("agentregistry.usage.events", "{event}",
        "Usage events received through the usage events API, by result: accepted, duplicate or rejected.");

    /// <summary>Every series a dashboard or alert divides by, at zero: run once the metrics are being collected.</summary>
    public static void ZeroSeries()
    {
        foreach (var result in new[] { "accepted", "duplicate", "rejected" }) Events.Add(0, new KeyValuePair<string, object?>("result", result));
    }

    public static void Ingested(UsageEventsOutput output)
    {
        if (output.Accepted > 0) Events.Add(output.Accepted, new KeyValuePair<string, object?>("result", "accepted"));
        if (output.Duplicate > 0) Events.Add(output.Duplicate, new KeyValuePair<string, object?>("result", "duplicate"));
        if (output.Rejected > 0) Events.Add(output.Rejected, new KeyValuePair<string, object?>("result", "rejected"));
    }
}
