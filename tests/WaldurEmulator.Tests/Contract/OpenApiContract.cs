using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.OpenApi.YamlReader;
using SharpYaml.Serialization;

namespace WaldurEmulator.Tests.Contract;

/// <summary>The Waldur OpenAPI subset, read once, with lookups of request and response schemas by path.</summary>
public sealed class OpenApiContract
{
    public const string FileName = "waldur-openapi-8.0.5-subset.yaml";
    private static readonly Lazy<OpenApiContract> Shared = new(() => new OpenApiContract(ContractFiles.Locate()));
    private readonly List<(string Template, Regex Pattern)> paths;

    private OpenApiContract(string file)
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(file)) yaml.Load(reader);
        Document = yaml.ToJsonNode().First()!;
        paths = Document["paths"]!.AsObject()
            .Select(p => (p.Key, new Regex("^" + Regex.Replace(Regex.Escape(p.Key), @"\\\{[^}]+}", "[^/]+") + "$")))
            .OrderBy(p => p.Key.Count(c => c == '{'))
            .ToList();
        File = file;
    }

    public static OpenApiContract Instance => Shared.Value;
    public JsonNode Document { get; }
    public string File { get; }

    /// <summary>The path template a concrete path belongs to; literal segments win over {uuid}.</summary>
    public string? TemplateFor(string path)
    {
        var bare = path.Split('?')[0];
        return paths.FirstOrDefault(p => p.Pattern.IsMatch(bare)).Template;
    }

    public JsonObject? Operation(string template, string method) => Document["paths"]![template]?[method.ToLowerInvariant()] as JsonObject;

    public JsonNode? RequestSchema(string template, string method) =>
        Operation(template, method)?["requestBody"]?["content"]?["application/json"]?["schema"];

    /// <summary>The documented response: found, and its JSON schema (null when it has no body).</summary>
    public (bool Documented, JsonNode? Schema) ResponseSchema(string template, string method, int status)
    {
        var response = Operation(template, method)?["responses"]?[status.ToString()];
        return (response is not null, response?["content"]?["application/json"]?["schema"]);
    }

    public IReadOnlyList<string> ValidateRequest(string template, string method, JsonNode body) =>
        RequestSchema(template, method) is { } schema
            ? new SchemaValidator(Document, Direction.Request).Validate(body, schema)
            : [$"{method} {template} documents no JSON request body"];

    public IReadOnlyList<string> ValidateResponse(string template, string method, int status, JsonNode? body)
    {
        var (documented, schema) = ResponseSchema(template, method, status);
        if (!documented) return [$"{method} {template} does not document status {status}"];
        if (schema is null) return body is null ? [] : [$"{method} {template} {status} documents no body but got {body.ToJsonString()}"];
        return new SchemaValidator(Document, Direction.Response).Validate(body, schema);
    }
}
