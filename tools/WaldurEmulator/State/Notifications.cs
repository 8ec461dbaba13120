using System.Text.Json.Nodes;

namespace WaldurEmulator.State;

/// <summary>Events the emulator emitted and the web hooks they are delivered to.</summary>
internal sealed class EventRecord
{
    public required string Uuid { get; init; }
    public required DateTimeOffset Created { get; init; }
    public required string EventType { get; init; }
    public required string Message { get; init; }
    public required JsonObject Context { get; init; }
}

internal sealed class WebHook
{
    public required string Uuid { get; init; }
    public required string AuthorUuid { get; init; }
    public required string DestinationUrl { get; set; }
    public List<string> EventTypes { get; set; } = [];
    public List<string> EventGroups { get; set; } = [];
    public bool IsActive { get; set; } = true;
    public string ContentType { get; set; } = "json";
    public required DateTimeOffset Created { get; init; }
    public DateTimeOffset Modified { get; set; }
}
