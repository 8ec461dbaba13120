using System.Text.Json.Nodes;

namespace AgentRegistry.Infrastructure.OpenApi;

/// <summary>Schemas the generator cannot see: problem details, the OpenAI-compatible bodies, the multipart upload.</summary>
internal static class Shapes
{
    private static JsonObject Ref(string name) => new() { ["$ref"] = $"#/components/schemas/{name}" };
    private static JsonObject Type(string type, string? description = null) =>
        description is null ? new() { ["type"] = type } : new() { ["type"] = type, ["description"] = description };
    private static JsonArray Names(params string[] names) => new(names.Select(n => (JsonNode)n).ToArray());

    public static JsonObject Problem() => new()
    {
        ["type"] = "object",
        ["description"] = "RFC 9457 problem details; type is stable per kind of error (/problems/validation, /problems/api-key-revoked ...).",
        ["properties"] = new JsonObject
        {
            ["type"] = Type("string"), ["title"] = Type("string"), ["status"] = Type("integer"), ["detail"] = Type("string"),
            ["instance"] = Type("string"), ["trace_id"] = Type("string"),
            ["errors"] = new JsonObject
            {
                ["type"] = "object", ["description"] = "Validation problems: the JSON name of each invalid field and what is wrong with it.",
                ["additionalProperties"] = new JsonObject { ["type"] = "array", ["items"] = Type("string") },
            },
        },
        ["required"] = Names("type", "title", "status"),
    };

    public static IEnumerable<(string, JsonObject)> OpenAi()
    {
        yield return ("ChatCompletionMessage", new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["role"] = new JsonObject { ["type"] = "string", ["enum"] = Names("system", "user", "assistant") },
                ["content"] = Type("string"),
            },
            ["required"] = Names("role", "content"),
        });
        yield return ("ChatCompletionRequest", new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["model"] = Type("string", "The agent's slug (GET /v1/models)."),
                ["messages"] = new JsonObject { ["type"] = "array", ["items"] = Ref("ChatCompletionMessage"), ["description"] = "Ends with the user's message." },
                ["stream"] = Type("boolean", "Server-sent events of chat.completion.chunk objects, ending with data: [DONE]."),
                ["temperature"] = Type("number"), ["max_tokens"] = Type("integer"),
            },
            ["required"] = Names("model", "messages"),
        });
        yield return ("ChatCompletionUsage", new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject { ["prompt_tokens"] = Type("integer"), ["completion_tokens"] = Type("integer"), ["total_tokens"] = Type("integer") },
        });
        yield return ("ChatCompletion", new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["id"] = Type("string"), ["object"] = new JsonObject { ["type"] = "string", ["const"] = "chat.completion" },
                ["created"] = Type("integer"), ["model"] = Type("string"),
                ["choices"] = new JsonObject
                {
                    ["type"] = "array",
                    ["items"] = new JsonObject
                    {
                        ["type"] = "object",
                        ["properties"] = new JsonObject
                        {
                            ["index"] = Type("integer"), ["message"] = Ref("ChatCompletionMessage"), ["finish_reason"] = Type("string"),
                        },
                    },
                },
                ["usage"] = Ref("ChatCompletionUsage"),
            },
            ["required"] = Names("id", "object", "created", "model", "choices"),
        });
        yield return ("OpenAiError", new JsonObject
        {
            ["type"] = "object",
            ["description"] = "OpenAI's error shape, which every OpenAI SDK understands.",
            ["properties"] = new JsonObject
            {
                ["error"] = new JsonObject
                {
                    ["type"] = "object",
                    ["properties"] = new JsonObject { ["message"] = Type("string"), ["type"] = Type("string"), ["param"] = Type("string"), ["code"] = Type("string") },
                },
            },
        });
    }

    /// <summary>Bodies of operations whose handlers read the request themselves.</summary>
    public static void Describe(JsonObject operation, string method, string path)
    {
        if (method == "post" && path == "/api/v1/accesses/{id}/documents")
            operation["requestBody"] = new JsonObject
            {
                ["required"] = true,
                ["content"] = new JsonObject
                {
                    ["multipart/form-data"] = new JsonObject
                    {
                        ["schema"] = new JsonObject
                        {
                            ["type"] = "object",
                            ["properties"] = new JsonObject
                            {
                                ["file"] = new JsonObject { ["type"] = "string", ["format"] = "binary", ["description"] = "PDF, DOCX, HTML, Markdown, CSV or text." },
                            },
                            ["required"] = Names("file"),
                        },
                    },
                },
            };
        if (method == "post" && path == "/v1/chat/completions")
        {
            operation["requestBody"] = new JsonObject
            {
                ["required"] = true,
                ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = Ref("ChatCompletionRequest") } },
            };
            operation["responses"]!["200"] = new JsonObject
            {
                ["description"] = "The answer; with stream: true, server-sent events.",
                ["content"] = new JsonObject
                {
                    ["application/json"] = new JsonObject { ["schema"] = Ref("ChatCompletion") },
                    ["text/event-stream"] = new JsonObject { ["schema"] = Type("string", "data: {chat.completion.chunk} lines, then data: [DONE].") },
                },
            };
        }
    }
}
