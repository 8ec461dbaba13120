using System.Diagnostics.Metrics;

namespace AgentRegistry.Widget;

/// <summary>Visitors' messages through the widget, and the requests the widget routes refused, by reason (the problem type).</summary>
public static class WidgetMetrics
{
    private static readonly Meter Meter = new("AgentRegistry.Widget");

    private static readonly Counter<long> Messages = Meter.CreateCounter<long>("agentregistry.widget.messages", "{message}",
        "Visitor messages accepted by the widget's message route.");
    private static readonly Counter<long> Refusals = Meter.CreateCounter<long>("agentregistry.widget.refusals", "{request}",
        "Widget requests refused, by reason: widget-not-found, origin-not-allowed, invalid-visitor-token, identity-not-verified, message-too-long, rate-limited.");

    /// <summary>Every series a dashboard or alert divides by, at zero: run once the metrics are being collected.</summary>
    public static void ZeroSeries()
    {
        Messages.Add(0);
        Refusals.Add(0, new KeyValuePair<string, object?>("reason", "origin-not-allowed"));
    }

    public static void Message() => Messages.Add(1);

    public static void Refused(string reason) => Refusals.Add(1, new KeyValuePair<string, object?>("reason", reason));
}
