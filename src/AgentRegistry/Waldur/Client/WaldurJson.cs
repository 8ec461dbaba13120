using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AgentRegistry.Waldur.Client;

/// <summary>Waldur's JSON: snake_case, hex UUIDs, decimals as strings (read from strings or numbers).</summary>
public static class WaldurJson
{
    public static readonly JsonSerializerOptions Options = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            NumberHandling = JsonNumberHandling.Strict,
        };
        options.Converters.Add(new UuidConverter());
        options.Converters.Add(new DecimalConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    /// <summary>Prices: plain invariant decimal, at most 10 decimals (Waldur's pattern <c>^-?\d{0,12}(?:\.\d{0,10})?$</c>).</summary>
    public static string Price(decimal value) => decimal.Round(value, 10).ToString("0.##########", CultureInfo.InvariantCulture);

    /// <summary>Usage amounts: exactly two decimals, as Waldur stores them.</summary>
    public static string Amount(decimal value) => decimal.Round(value, 2, MidpointRounding.AwayFromZero).ToString("0.00", CultureInfo.InvariantCulture);

    private sealed class UuidConverter : JsonConverter<Guid>
    {
        public override Guid Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            WaldurUuid.TryParse(reader.GetString(), out var uuid) ? uuid : throw new JsonException($"'{reader.GetString()}' is not a UUID.");

        public override void Write(Utf8JsonWriter writer, Guid value, JsonSerializerOptions options) =>
            writer.WriteStringValue(WaldurUuid.ToHex(value));
    }

    /// <summary>Waldur sends most decimals as strings, a few (ComponentUsage.usage, limits) as numbers.</summary>
    private sealed class DecimalConverter : JsonConverter<decimal>
    {
        public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType switch
            {
                JsonTokenType.Number => reader.GetDecimal(),
                JsonTokenType.String when decimal.TryParse(reader.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) => value,
                _ => throw new JsonException($"Expected a decimal, got {reader.TokenType}."),
            };

        public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.ToString(CultureInfo.InvariantCulture));
    }
}
