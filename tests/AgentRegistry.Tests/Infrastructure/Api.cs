using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentRegistry.Tests.Infrastructure;

/// <summary>JSON over HTTP in the registry's own conventions (snake_case).</summary>
public static class Api
{
    public static readonly JsonSerializerOptions Json = Create();

    private static JsonSerializerOptions Create()
    {
        var o = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        AgentRegistry.Infrastructure.Json.Configure(o);
        return o;
    }

    public static Task<HttpResponseMessage> PostJson(this HttpClient client, string url, object body) =>
        client.PostAsJsonAsync(url, body, Json);

    public static Task<HttpResponseMessage> PutJson(this HttpClient client, string url, object body) =>
        client.PutAsJsonAsync(url, body, Json);

    public static Task<HttpResponseMessage> PatchJson(this HttpClient client, string url, object body) =>
        client.PatchAsJsonAsync(url, body, Json);

    public static async Task<JsonNode> Json200(this Task<HttpResponseMessage> call, int expected = 200)
    {
        var response = await call;
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == expected, $"Expected {expected}, got {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    public static Task<JsonNode> Created(this Task<HttpResponseMessage> call) => call.Json200(201);

    /// <summary>Asserts a problem details answer with the given status and type and returns it.</summary>
    public static async Task<JsonNode> Problem(this Task<HttpResponseMessage> call, int status, string? type = null)
    {
        var response = await call;
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"Expected {status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(text)!;
        if (type is not null) Assert.Equal($"/problems/{type}", (string?)problem["type"]);
        return problem;
    }

    public static string Id(this JsonNode node) => (string)node["id"]!;
}
