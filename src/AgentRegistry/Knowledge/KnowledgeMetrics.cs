using System.Diagnostics.Metrics;

namespace AgentRegistry.Knowledge;

/// <summary>The document pipeline: documents finished by result, how long they took, and the queue.</summary>
public static class KnowledgeMetrics
{
    private static readonly Meter Meter = new("AgentRegistry.Knowledge");

    private static readonly Counter<long> Documents = Meter.CreateCounter<long>("agentregistry.documents.processed", "{document}",
        "Training documents through the pipeline, by result: ready, rejected (unreadable or empty), retry, failed (gave up).");
    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("agentregistry.documents.duration", "s",
        "Time to extract, chunk and embed one document.", advice: new() { HistogramBucketBoundaries = [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300] });

    private static long _queued;
    private static double _oldestSeconds;

    static KnowledgeMetrics()
    {
        Meter.CreateObservableGauge("agentregistry.documents.queue", () => Volatile.Read(ref _queued), "{document}",
            "Documents queued or being processed.");
        Meter.CreateObservableGauge("agentregistry.documents.queue.oldest", () => Volatile.Read(ref _oldestSeconds), "s",
            "Longest time a queued or processing document has gone without a change of state (0 when none waits).");
    }

    /// <summary>Every series a dashboard or alert divides by, at zero: run once the metrics are being collected.</summary>
    public static void ZeroSeries()
    {
        foreach (var result in new[] { "ready", "rejected", "retry", "failed" }) Documents.Add(0, new KeyValuePair<string, object?>("result", result));
    }

    public static void Processed(string result, TimeSpan elapsed)
    {
        Documents.Add(1, new KeyValuePair<string, object?>("result", result));
        Duration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("result", result));
    }

    public static void Queue(long queued, double oldestSeconds)
    {
        Volatile.Write(ref _queued, queued);
        Volatile.Write(ref _oldestSeconds, oldestSeconds);
    }
}
