using System.Diagnostics.Metrics;
using Microsoft.Extensions.AI;

namespace AgentRegistry.Chat;

/// <summary>
/// Chat messages by channel and result. The model calls themselves are measured by Microsoft.Extensions.AI's
/// OpenTelemetry client under the GenAI names (<c>gen_ai.client.operation.duration</c>, <c>gen_ai.client.token.usage</c>).
/// </summary>
public static class ChatMetrics
{
    /// <summary>Meter and activity source of the model calls.</summary>
    public const string GenAiSource = "AgentRegistry.Chat.GenAI";

    private static readonly Meter Meter = new("AgentRegistry.Chat");

    private static readonly Counter<long> Messages = Meter.CreateCounter<long>("agentregistry.chat.messages", "{message}",
        "Chat messages by channel (api, openai, widget) and result (answered, or the problem that ended it).");

    /// <summary>Every series a dashboard or alert divides by, at zero: run once the metrics are being collected.</summary>
    public static void ZeroSeries()
    {
        foreach (var result in new[] { "answered", "llm-timeout", "llm-unavailable" })
            Messages.Add(0, new KeyValuePair<string, object?>("channel", "api"), new KeyValuePair<string, object?>("result", result));
    }

    public static void Message(ChatRequest request, string result) =>
        Messages.Add(1, new("channel", request.WidgetId is not null ? "widget" : request.History is not null ? "openai" : "api"), new("result", result));

    /// <summary>The client with GenAI metrics and traces around it.</summary>
    public static IChatClient Measured(IChatClient client) => client.AsBuilder().UseOpenTelemetry(sourceName: GenAiSource).Build();
}
