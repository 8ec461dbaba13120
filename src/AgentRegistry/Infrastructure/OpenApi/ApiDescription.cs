using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing.Patterns;
using Scalar.AspNetCore;

namespace AgentRegistry.Infrastructure.OpenApi;

/// <summary>
/// <c>/openapi/v1.json</c> as generated clients need it, and the API reference page at <c>/api-reference</c>. The
/// generated document is completed from the endpoints' own metadata: how each operation authenticates (security
/// schemes), its problem responses, an id and a summary; request fields are required only when the server refuses
/// a request without them; the multipart upload and the OpenAI-compatible shapes, which handlers read by hand, are
/// described.
/// </summary>
public static partial class ApiDescription
{
    public const string DocumentPath = "/openapi/v1.json";

    public static WebApplication MapApiDescription(this WebApplication app)
    {
        app.UseWhen(http => http.Request.Path == DocumentPath, branch => branch.Use(async (http, next) =>
        {
            var original = http.Response.Body;
            using var buffer = new MemoryStream();
            http.Response.Body = buffer;
            try { await next(http); }
            finally { http.Response.Body = original; }
            if (http.Response.StatusCode != 200)
            {
                buffer.Position = 0;
                await buffer.CopyToAsync(original);
                return;
            }
            var document = JsonNode.Parse(buffer.ToArray())!.AsObject();
            Complete(document, http.RequestServices.GetRequiredService<EndpointDataSource>());
            var bytes = JsonSerializer.SerializeToUtf8Bytes(document, new JsonSerializerOptions { WriteIndented = true });
            http.Response.ContentLength = bytes.Length;
            await original.WriteAsync(bytes);
        }));
        app.MapOpenApi();
        app.MapScalarApiReference("/api-reference", o => o
            .WithTitle("AgentRegistry API")
            .WithOpenApiRoutePattern(DocumentPath)
            .DisableDefaultFonts());
        return app;
    }

    internal static void Complete(JsonObject document, EndpointDataSource endpoints)
    {
        document["info"] = new JsonObject
        {
            ["title"] = "AgentRegistry API", ["version"] = "v1",
            ["description"] = "Sell, run and meter AI chat agents through the Waldur marketplace. Errors are RFC 9457 problem details " +
                "with a stable type per kind: 422 /problems/validation names the invalid fields; 400 means the request could not be read.",
            ["license"] = new JsonObject { ["name"] = "Proprietary", ["identifier"] = "LicenseRef-Proprietary" },
        };
        // Served by each deployment at its own address: requests go to the registry that served the document.
        document["servers"] = new JsonArray(new JsonObject { ["url"] = "/", ["description"] = "The registry that serves this document." });
        // The widget's loader script and preview page are not part of the REST API.
        var paths = document["paths"]!.AsObject();
        foreach (var page in paths.Select(p => p.Key).Where(p => !p.StartsWith("/api/", StringComparison.Ordinal) && !p.StartsWith("/v1/", StringComparison.Ordinal)
                     && !p.StartsWith("/webhooks/", StringComparison.Ordinal) && !p.StartsWith("/health/", StringComparison.Ordinal)).ToList())
            paths.Remove(page);
        HealthPaths(paths);
        var components = document["components"] as JsonObject ?? new JsonObject();
        document["components"] = components;
        components["securitySchemes"] = SecuritySchemes.Definitions();
        var schemas = components["schemas"] as JsonObject ?? new JsonObject();
        components["schemas"] = schemas;
        schemas["ProblemDetails"] = Shapes.Problem();
        foreach (var (name, schema) in Shapes.OpenAi()) schemas[name] = schema;
        RequestFields.Correct(schemas);

        var access = Operations(endpoints);
        var tags = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, node) in item!.AsObject())
            {
                if (node is not JsonObject operation) continue;
                var rule = access.GetValueOrDefault($"{method.ToUpperInvariant()} {path}");
                operation["operationId"] ??= OperationId(method, path);
                operation["summary"] ??= Summary(method, path);
                operation["security"] = SecuritySchemes.For(rule);
                Responses.Add(operation, method, path, rule);
                PathParameters.Add(operation, path);
                Shapes.Describe(operation, method, path);
                foreach (var tag in operation["tags"]?.AsArray() ?? []) tags.Add((string)tag!);
            }
        }
        if (!document.ToJsonString().Contains("#/components/schemas/JsonObject", StringComparison.Ordinal)) schemas.Remove("JsonObject");
        document["tags"] = new JsonArray(tags.Select(t => (JsonNode)new JsonObject { ["name"] = t, ["description"] = $"{t} operations." }).ToArray());
    }

    /// <summary>The health endpoints are health-check middleware, not handlers the API explorer sees: described here.</summary>
    private static void HealthPaths(JsonObject paths)
    {
        static JsonObject Get(string summary, JsonObject responses) => new()
        {
            ["get"] = new JsonObject { ["tags"] = new JsonArray("Health"), ["summary"] = summary, ["responses"] = responses },
        };
        static JsonObject Text(string description) => new()
        {
            ["description"] = description,
            ["content"] = new JsonObject { ["text/plain"] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "string" } } },
        };
        static JsonObject Report(string description) => new()
        {
            ["description"] = description,
            ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "object" } } },
        };
        paths["/health/live"] ??= Get("The process answers (liveness).", new JsonObject { ["200"] = Text("Healthy.") });
        paths["/health/ready"] ??= Get("The database answers; degraded dependencies (Waldur, the webhook inbox) are listed (readiness).",
            new JsonObject { ["200"] = Report("Healthy or Degraded, with each check."), ["503"] = Report("Unhealthy: out of service.") });
    }

    /// <summary>Who may call each operation ("GET /api/v1/agents"): its policies, or null when anyone may.</summary>
    private static Dictionary<string, string[]?> Operations(EndpointDataSource endpoints)
    {
        var result = new Dictionary<string, string[]?>();
        foreach (var e in endpoints.Endpoints.OfType<RouteEndpoint>())
        {
            if (e.Metadata.GetMetadata<HttpMethodMetadata>() is not { } methods) continue;
            var anonymous = e.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            var policies = e.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy ?? "").ToArray();
            var path = "/" + Template(e.RoutePattern).TrimStart('/');
            // A group's "/" route is "/api/v1/agents/" here and "/api/v1/agents" in the document.
            foreach (var m in methods.HttpMethods)
                result[$"{m} {path}"] = result[$"{m} {path.TrimEnd('/')}"] = anonymous || policies.Length == 0 ? null : policies;
        }
        return result;
    }

    /// <summary>The route as OpenAPI writes it: parameters without constraints, no trailing slash unless the route has one.</summary>
    private static string Template(RoutePattern pattern) => Constraint().Replace(pattern.RawText ?? "", "}");

    [GeneratedRegex(@"(:[^}]+)?\??\}")]
    private static partial Regex Constraint();

    private static string OperationId(string method, string path)
    {
        var words = path.Split('/', StringSplitOptions.RemoveEmptyEntries)
            .Select(s => s.StartsWith('{') ? "By" + Pascal(s.Trim('{', '}')) : Pascal(s));
        return method.ToLowerInvariant() + string.Concat(words);
    }

    private static string Pascal(string s) => string.Concat(s.Split('-', '_', '.').Where(w => w.Length > 0).Select(w => char.ToUpperInvariant(w[0]) + w[1..]));

    private static string Summary(string method, string path) => $"{method.ToUpperInvariant()} {path}";
}
