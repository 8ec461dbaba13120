using System.Text.Json.Nodes;
using AgentRegistry.Tests.Infrastructure;

namespace AgentRegistry.Tests.Operations;

/// <summary>What a client generator reads from /openapi/v1.json, and the reference page beside it.</summary>
public abstract class ApiDescriptionTests(RegistryApp app) : RegistryTest(app)
{
    private async Task<JsonNode> DocumentAsync() => await App.Anonymous().GetAsync("/openapi/v1.json").Json200();

    [Fact]
    public async Task OperationsNameHowTheyAuthenticateAndTheirProblems()
    {
        var doc = await DocumentAsync();
        var schemes = doc["components"]!["securitySchemes"]!.AsObject();
        Assert.Equal(["apiKey", "cookie", "oidcBearer", "personalAccessToken"], schemes.Select(s => s.Key).Order());

        var chat = doc["paths"]!["/api/v1/chat"]!["post"]!;
        Assert.Equal(["apiKey"], chat["security"]!.AsArray().SelectMany(r => r!.AsObject().Select(s => s.Key)));
        var agents = doc["paths"]!["/api/v1/agents"]!["get"]!;
        Assert.Contains("personalAccessToken", agents["security"]!.AsArray().SelectMany(r => r!.AsObject().Select(s => s.Key)));
        Assert.Equal("#/components/schemas/ProblemDetails", (string?)agents["responses"]!["401"]!["content"]!["application/problem+json"]!["schema"]!["$ref"]);
        Assert.Empty(doc["paths"]!["/health/live"]!["get"]!["security"]!.AsArray());
        Assert.NotNull(doc["paths"]!["/api/v1/agents"]!["post"]!["responses"]!["422"]);
    }

    [Fact]
    public async Task OptionalRequestFieldsAreNotRequiredAndHandWrittenBodiesAreDescribed()
    {
        var doc = await DocumentAsync();
        var schemas = doc["components"]!["schemas"]!;
        Assert.Equal(["category_id", "name", "slug"], schemas["AgentInput"]!["required"]!.AsArray().Select(r => (string?)r).Order());
        Assert.Null(schemas["TokenInput"]!["required"]);

        var upload = doc["paths"]!["/api/v1/accesses/{id}/documents"]!["post"]!["requestBody"]!["content"]!["multipart/form-data"]!["schema"]!;
        Assert.Equal("binary", (string?)upload["properties"]!["file"]!["format"]);
        Assert.Equal(["file"], upload["required"]!.AsArray().Select(r => (string?)r));

        var completions = doc["paths"]!["/v1/chat/completions"]!["post"]!;
        Assert.Equal("#/components/schemas/ChatCompletionRequest", (string?)completions["requestBody"]!["content"]!["application/json"]!["schema"]!["$ref"]);
        Assert.NotNull(completions["responses"]!["200"]!["content"]!["text/event-stream"]);
        Assert.Equal(["messages", "model"], schemas["ChatCompletionRequest"]!["required"]!.AsArray().Select(r => (string?)r).Order());
    }

    [Fact]
    public async Task ReferencePageNeedsNothingFromOtherSites()
    {
        // The reference page lives at /api-reference/ (its scripts load relative to it); without the slash it redirects there.
        var bare = await App.Anonymous().GetAsync("/api-reference");
        Assert.Equal(System.Net.HttpStatusCode.Found, bare.StatusCode);
        Assert.Equal("api-reference/", bare.Headers.Location?.OriginalString);
        var page = await App.Anonymous().GetStringAsync("/api-reference/");
        // Scalar resolves the document against the site root: "openapi/v1.json" at the base path before /api-reference/.
        Assert.Contains("\"url\":\"openapi/v1.json\"", page);
        foreach (var src in System.Text.RegularExpressions.Regex.Matches(page, "(?:src|href)=\"([^\"]+)\"").Select(m => m.Groups[1].Value))
            Assert.False(src.StartsWith("http", StringComparison.Ordinal) || src.StartsWith("//", StringComparison.Ordinal), $"The page loads {src}");
    }
}

public sealed class ApiDescriptionOnSqlite(RegistryApp<Sqlite> app) : ApiDescriptionTests(app), IClassFixture<RegistryApp<Sqlite>>;
public sealed class ApiDescriptionOnPostgres(RegistryApp<Postgres> app) : ApiDescriptionTests(app), IClassFixture<RegistryApp<Postgres>>;
