using System.Text.Json;
using System.Text.Json.Serialization;

namespace AgentRegistry.Infrastructure;

public static class Json
{
    /// <summary>snake_case names and enums, as in Waldur and the OpenAI API.</summary>
    public static void Configure(JsonSerializerOptions o)
    {
        o.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        o.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
    }
}
