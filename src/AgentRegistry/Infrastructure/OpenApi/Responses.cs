using System.Text.Json.Nodes;

namespace AgentRegistry.Infrastructure.OpenApi;

/// <summary>The problem answers an operation can give, each an RFC 9457 problem (the OpenAI-compatible routes: OpenAI's error).</summary>
internal static class Responses
{
    public static void Add(JsonObject operation, string method, string path, string[]? policies)
    {
        var responses = operation["responses"] as JsonObject ?? new JsonObject();
        operation["responses"] = responses;
        var openAi = path.StartsWith("/v1/", StringComparison.Ordinal);
        if (method is "post" or "put" or "patch")
        {
            Problem(responses, "400", "The request cannot be read (malformed JSON, a value of the wrong type).", openAi);
            if (!openAi) Problem(responses, "422", "A field is invalid: /problems/validation names it; nothing was changed.", false);
        }
        if (policies is not null)
        {
            Problem(responses, "401", "No valid credentials (the type names why: unknown, revoked, expired ...).", false);
            Problem(responses, "403", "The credentials do not allow this operation.", false);
        }
        if (path.Contains('{')) Problem(responses, "404", "Not found, or not visible to the caller.", openAi);
    }

    private static void Problem(JsonObject responses, string status, string description, bool openAi)
    {
        if (responses.ContainsKey(status)) return;
        responses[status] = new JsonObject
        {
            ["description"] = description,
            ["content"] = new JsonObject
            {
                [openAi ? "application/json" : "application/problem+json"] = new JsonObject
                {
                    ["schema"] = new JsonObject { ["$ref"] = openAi ? "#/components/schemas/OpenAiError" : "#/components/schemas/ProblemDetails" },
                },
            },
        };
    }
}

/// <summary>Every <c>{name}</c> of a path is a required path parameter, also where the handler reads it by hand.</summary>
internal static class PathParameters
{
    public static void Add(JsonObject operation, string path)
    {
        var parameters = operation["parameters"] as JsonArray ?? [];
        operation["parameters"] = parameters;
        foreach (var name in path.Split('/').Where(s => s.StartsWith('{')).Select(s => s.Trim('{', '}')))
        {
            if (parameters.Any(p => (string?)p?["name"] == name && (string?)p?["in"] == "path")) continue;
            parameters.Add(new JsonObject { ["name"] = name, ["in"] = "path", ["required"] = true, ["schema"] = new JsonObject { ["type"] = "string" } });
        }
        if (parameters.Count == 0) operation.Remove("parameters");
    }
}

/// <summary>
/// Request records (named <c>*Input</c>) are bound leniently: a field is required only when the server refuses a request
/// without it (a <c>[Required]</c> annotation or a <c>required</c> member); the generator marks every constructor
/// parameter required, which would make clients send fields that are optional.
/// </summary>
internal static class RequestFields
{
    public static void Correct(JsonObject schemas)
    {
        var types = typeof(RequestFields).Assembly.GetTypes().Where(t => t.Name.EndsWith("Input", StringComparison.Ordinal))
            .GroupBy(t => t.Name).ToDictionary(g => g.Key, g => g.First());
        foreach (var (name, node) in schemas)
        {
            if (node is not JsonObject schema || !types.TryGetValue(name, out var type)) continue;
            var required = type.GetProperties()
                .Where(p => p.GetCustomAttributes(typeof(System.ComponentModel.DataAnnotations.RequiredAttribute), true).Length > 0
                            || p.GetCustomAttributes(typeof(System.Runtime.CompilerServices.RequiredMemberAttribute), true).Length > 0)
                .Select(p => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name))
                .Where(n => schema["properties"]?[n] is not null)
                .ToArray();
            if (required.Length == 0) schema.Remove("required");
            else schema["required"] = new JsonArray(required.Select(r => (JsonNode)r).ToArray());
        }
    }
}
