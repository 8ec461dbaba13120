using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace WaldurEmulator.Infrastructure;

/// <summary>A request body read as JSON, with field errors reported as DRF reports them.</summary>
internal sealed class JsonBody(JsonObject json)
{
    public JsonObject Json { get; } = json;

    public static async Task<JsonBody> ReadAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body);
        var text = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
        if (string.IsNullOrWhiteSpace(text)) return new JsonBody([]);
        try
        {
            var node = JsonNode.Parse(text);
            return node switch
            {
                null => new JsonBody([]),
                JsonObject obj => new JsonBody(obj),
                _ => throw ApiException.NonField("Invalid data. Expected a dictionary, but got list."),
            };
        }
        catch (JsonException e)
        {
            throw ApiException.Detail(400, $"JSON parse error - {e.Message}");
        }
    }

    public bool Has(string field) => Json.ContainsKey(field);

    public string RequiredString(string field) =>
        OptionalString(field) is { Length: > 0 } value ? value
            : Has(field) ? throw ApiException.Field(field, "This field may not be blank.")
            : throw ApiException.Required(field);

    public string? OptionalString(string field) => Json[field] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.ToJsonString(),
        _ => throw ApiException.Field(field, "Not a valid string."),
    };

    public bool? OptionalBool(string field) => Json[field] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
        _ => throw ApiException.Field(field, "Must be a valid boolean."),
    };

    public long? OptionalLong(string field) => Json[field] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<long>(out var n) => n,
        JsonValue v when v.TryGetValue<string>(out var s) && long.TryParse(s, CultureInfo.InvariantCulture, out var p) => p,
        _ => throw ApiException.Field(field, "A valid integer is required."),
    };

    public decimal? OptionalDecimal(string field, int maxDecimals)
    {
        var node = Json[field];
        if (node is null) return null;
        var text = node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : node.ToJsonString();
        return Decimals.TryParse(text, maxDecimals, out var value) ? value
            : throw ApiException.Field(field, $"Ensure that there are no more than {maxDecimals} decimal places.");
    }

    public JsonObject? OptionalObject(string field) => Json[field] switch
    {
        null => null,
        JsonObject obj => obj.DeepClone().AsObject(),
        _ => throw ApiException.Field(field, "Expected a dictionary of items."),
    };

    public JsonArray? OptionalArray(string field) => Json[field] switch
    {
        null => null,
        JsonArray arr => arr,
        _ => throw ApiException.Field(field, "Expected a list of items."),
    };

    public List<string>? OptionalStringList(string field) =>
        OptionalArray(field)?.Select(n => n is JsonValue v && v.TryGetValue<string>(out var s) ? s
            : throw ApiException.Field(field, "Not a valid string.")).ToList();
}
