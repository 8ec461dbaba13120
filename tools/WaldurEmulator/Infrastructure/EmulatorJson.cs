using System.Text.Json;
using System.Text.Json.Nodes;

namespace WaldurEmulator.Infrastructure;

/// <summary>JSON as Waldur writes it: snake_case names, nulls kept.</summary>
internal static class EmulatorJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
    };

    public static JsonObject ToObject<T>(T value) =>
        JsonSerializer.SerializeToNode(value, Options)?.AsObject() ?? [];

    /// <summary>Waldur's "field" query parameter keeps only the named fields of each object.</summary>
    public static JsonObject SelectFields(JsonObject item, IReadOnlyCollection<string> fields)
    {
        if (fields.Count == 0) return item;
        var selected = new JsonObject();
        foreach (var (key, value) in item)
            if (fields.Contains(key)) selected[key] = value?.DeepClone();
        return selected;
    }
}
