using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace WaldurEmulator.Tests.Contract;

/// <summary>Which side of the wire a body is on: requests may not carry readOnly fields, responses not writeOnly ones.</summary>
public enum Direction { Request, Response }

/// <summary>
/// Validates JSON against OpenAPI 3.0 schemas of the contract: $ref, allOf/oneOf/anyOf, type, nullable, enum,
/// required, properties, additionalProperties, items, format (uuid, date-time, date, uri, email), pattern,
/// min/maxLength, minimum. Stricter than the contract on purpose: properties the schema does not name are
/// reported (except inside free-form schemas such as BackendMetadata), and response UUIDs must be 32 lowercase hex.
/// </summary>
public sealed partial class SchemaValidator(JsonNode document, Direction direction)
{
    // SharpYaml (under Microsoft.OpenApi.YamlReader) turns YAML null into this marker string.
    private const string NullMarker = "openapi-json-null-sentinel-value-";
    private static readonly HashSet<string> FreeFormSchemas = ["BackendMetadata"];

    public IReadOnlyList<string> Validate(JsonNode? value, JsonNode schema)
    {
        var errors = new List<string>();
        Check(value, schema.AsObject(), "$", errors, strict: true);
        return errors;
    }

    private void Check(JsonNode? value, JsonObject schema, string path, List<string> errors, bool strict)
    {
        if (schema["$ref"] is JsonValue reference)
        {
            var name = reference.GetValue<string>().Split('/')[^1];
            var target = document["components"]!["schemas"]![name]!.AsObject();
            Check(value, target, path, errors, strict && !FreeFormSchemas.Contains(name));
            return;
        }
        if (value is null)
        {
            if (schema["nullable"]?.GetValue<bool>() != true && !AllowsNullByEnum(schema))
                errors.Add($"{path}: null is not allowed");
            return;
        }
        foreach (var sub in Subschemas(schema, "allOf")) Check(value, sub, path, errors, strict);
        CheckAlternatives(value, schema, path, errors, strict);
        if (schema["enum"] is JsonArray options && !options.Any(o => JsonNode.DeepEquals(o, value)))
            errors.Add($"{path}: {value.ToJsonString()} is not one of {options.ToJsonString()}");

        var type = schema["type"]?.GetValue<string>() ?? (schema["properties"] is not null ? "object" : null);
        switch (type)
        {
            case "object": CheckObject(value, schema, path, errors, strict); break;
            case "array": CheckArray(value, schema, path, errors, strict); break;
            case "string": CheckString(value, schema, path, errors); break;
            case "integer" or "number": CheckNumber(value, schema, type, path, errors); break;
            case "boolean" when value.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False):
                errors.Add($"{path}: expected boolean, got {value.ToJsonString()}"); break;
        }
    }

    private void CheckAlternatives(JsonNode value, JsonObject schema, string path, List<string> errors, bool strict)
    {
        foreach (var keyword in new[] { "oneOf", "anyOf" })
        {
            var subs = Subschemas(schema, keyword).ToList();
            if (subs.Count == 0) continue;
            var passing = subs.Count(sub =>
            {
                var subErrors = new List<string>();
                Check(value, sub, path, subErrors, strict);
                return subErrors.Count == 0;
            });
            if (keyword == "oneOf" ? passing != 1 : passing == 0)
                errors.Add($"{path}: {value.ToJsonString()} matches {passing} of the {keyword} alternatives");
        }
    }

    private void CheckObject(JsonNode value, JsonObject schema, string path, List<string> errors, bool strict)
    {
        if (value is not JsonObject obj)
        {
            errors.Add($"{path}: expected object, got {value.ToJsonString()}");
            return;
        }
        var properties = schema["properties"] as JsonObject;
        foreach (var required in schema["required"] as JsonArray ?? [])
            if (!obj.ContainsKey(required!.GetValue<string>())) errors.Add($"{path}: required property '{required}' is missing");
        foreach (var (name, item) in obj)
        {
            var itemPath = $"{path}.{name}";
            if (properties?[name] is JsonObject propertySchema)
            {
                if (direction == Direction.Request && Flag(propertySchema, "readOnly")) errors.Add($"{itemPath}: read-only property sent in a request");
                if (direction == Direction.Response && Flag(propertySchema, "writeOnly")) errors.Add($"{itemPath}: write-only property in a response");
                Check(item, propertySchema, itemPath, errors, strict);
            }
            else if (schema["additionalProperties"] is JsonObject additional) Check(item, additional, itemPath, errors, strict);
            else if (schema["additionalProperties"] is JsonValue allowed && !allowed.GetValue<bool>()) errors.Add($"{itemPath}: property not allowed");
            else if (strict && properties is not null && schema["additionalProperties"] is null) errors.Add($"{itemPath}: property not in the schema");
        }
    }

    private void CheckArray(JsonNode value, JsonObject schema, string path, List<string> errors, bool strict)
    {
        if (value is not JsonArray array)
        {
            errors.Add($"{path}: expected array, got {value.ToJsonString()}");
            return;
        }
        if (schema["items"] is JsonObject items)
            for (var i = 0; i < array.Count; i++) Check(array[i], items, $"{path}[{i}]", errors, strict);
    }

    private void CheckString(JsonNode value, JsonObject schema, string path, List<string> errors)
    {
        if (value.GetValueKind() != JsonValueKind.String)
        {
            errors.Add($"{path}: expected string, got {value.ToJsonString()}");
            return;
        }
        var text = value.GetValue<string>();
        if (schema["maxLength"] is JsonValue max && text.Length > Number(max)) errors.Add($"{path}: longer than {max}");
        if (schema["minLength"] is JsonValue min && text.Length < Number(min)) errors.Add($"{path}: shorter than {min}");
        if (schema["pattern"] is JsonValue pattern && !Regex.IsMatch(text, pattern.GetValue<string>()))
            errors.Add($"{path}: '{text}' does not match {pattern}");
        var format = schema["format"]?.GetValue<string>();
        if (format is not null && !FormatHolds(format, text)) errors.Add($"{path}: '{text}' is not a valid {format}");
    }

    private static void CheckNumber(JsonNode value, JsonObject schema, string type, string path, List<string> errors)
    {
        if (value.GetValueKind() != JsonValueKind.Number)
        {
            errors.Add($"{path}: expected {type}, got {value.ToJsonString()}");
            return;
        }
        var number = Number(value);
        if (type == "integer" && number != decimal.Truncate(number)) errors.Add($"{path}: {number} is not an integer");
        if (schema["minimum"] is JsonValue minimum && number < Number(minimum)) errors.Add($"{path}: below {minimum}");
    }

    private bool FormatHolds(string format, string text) => format switch
    {
        "uuid" => direction == Direction.Response ? WaldurUuid().IsMatch(text) : WaldurUuid().IsMatch(text) || Guid.TryParse(text, out _),
        "date-time" => DateTime().IsMatch(text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
        "date" => DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
        "uri" => Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https",
        "email" => Email().IsMatch(text),
        _ => true,
    };

    private static IEnumerable<JsonObject> Subschemas(JsonObject schema, string keyword) =>
        (schema[keyword] as JsonArray ?? []).OfType<JsonObject>();

    private bool AllowsNullByEnum(JsonObject schema)
    {
        if (schema["enum"] is JsonArray values && values.Any(v => v is null || v.ToJsonString().Contains(NullMarker))) return true;
        if (schema["$ref"] is JsonValue reference)
            return AllowsNullByEnum(document["components"]!["schemas"]![reference.GetValue<string>().Split('/')[^1]]!.AsObject());
        return false;
    }

    private static decimal Number(JsonNode node) => decimal.Parse(node.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);

    private static bool Flag(JsonObject schema, string name) => schema[name]?.GetValue<bool>() == true;

    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex WaldurUuid();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")]
    private static partial Regex DateTime();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex Email();
}
