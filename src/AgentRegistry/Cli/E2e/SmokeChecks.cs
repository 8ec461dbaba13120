using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace AgentRegistry.Cli.E2e;

/// <summary>
/// Checks that are safe against production: reads, health, one test webhook delivery (stored and ignored), the widget
/// loader, and one OpenAI-compatible call with a key given for it. Nothing else is created or changed.
/// </summary>
internal static class SmokeChecks
{
    public static async Task RunAsync(E2eRun run, E2eEnvironment env)
    {
        var http = run.Anonymous;
        await run.CheckAsync(E2eCategories.Api, "health: live", async () =>
        {
            await E2eRun.ExpectAsync(http.GetAsync("/health/live"), 200, "GET /health/live");
            return "the process answers";
        });
        await run.CheckAsync(E2eCategories.Api, "health: ready", async () =>
        {
            var ready = await E2eRun.ExpectAsync(http.GetAsync("/health/ready"), 200, "GET /health/ready");
            var checks = ready?["checks"]?.AsObject().Select(c => $"{c.Key} {(string?)c.Value?["status"]}") ?? [];
            return $"{(string?)ready?["status"]} ({string.Join(", ", checks)})";
        });
        await run.CheckAsync(E2eCategories.Api, "OpenAPI document", async () =>
        {
            var doc = await E2eRun.ExpectAsync(http.GetAsync("/openapi/v1.json"), 200, "GET /openapi/v1.json");
            var paths = doc?["paths"]?.AsObject().Count ?? 0;
            return paths > 0 ? $"{paths} paths" : throw new CheckFailed("the document lists no paths");
        });
        await run.CheckAsync(E2eCategories.Auth, "anonymous API call is refused", async () =>
        {
            var problem = await E2eRun.ExpectAsync(http.GetAsync("/api/v1/accesses"), 401, "GET /api/v1/accesses without credentials");
            return $"401 {(string?)problem?["type"]}";
        });
        await run.CheckAsync(E2eCategories.Auth, "mistyped API key is refused", async () =>
        {
            using var bad = E2eRun.Client(run.BaseUrl, "ar_live_not-a-key");
            var problem = await E2eRun.ExpectAsync(bad.GetAsync("/v1/models"), 401, "GET /v1/models with a malformed key");
            return $"401 {(string?)problem?["type"]}";
        });
        await run.CheckAsync(E2eCategories.Auth, "personal access token signs in", async () =>
        {
            if (env.Token is null) throw new SkipCheck("no --token");
            using var client = E2eRun.Client(run.BaseUrl, env.Token);
            var me = await E2eRun.ExpectAsync(client.GetAsync("/api/v1/me"), 200, "GET /api/v1/me with the token");
            return $"as {(string?)me?["actor"]} ({(string?)me?["role"]})";
        });
        await run.CheckAsync(E2eCategories.Webhooks, "test delivery is stored", async () =>
        {
            var body = new JsonObject
            {
                ["created"] = DateTime.UtcNow.ToString("O"), ["message"] = "agentregistry e2e test delivery",
                ["context"] = new JsonObject { ["e2e_run"] = Guid.NewGuid().ToString("N") }, ["event_type"] = "agentregistry_e2e_test",
            };
            using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/waldur/order/")
            {
                Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
            };
            if (env.WebhookToken is { Length: > 0 } token) request.Headers.Add("X-Webhook-Token", token);
            var receipt = await E2eRun.ExpectAsync(http.SendAsync(request), 202, "POST /webhooks/waldur/order/");
            return $"202, event {(long?)receipt?["id"]} (ignored by the inbox: not a Waldur event)";
        });
        await run.CheckAsync(E2eCategories.Widget, "widget loader", async () =>
        {
            using var response = await http.GetAsync("/widget.js");
            var bytes = await response.Content.ReadAsByteArrayAsync();
            if ((int)response.StatusCode != 200) throw new CheckFailed($"GET /widget.js: {(int)response.StatusCode}");
            if (response.Content.Headers.ContentType?.MediaType is not ("text/javascript" or "application/javascript"))
                throw new CheckFailed($"GET /widget.js is {response.Content.Headers.ContentType}, not JavaScript");
            return $"{bytes.Length} bytes of JavaScript";
        });
        var model = await run.CheckAsync(E2eCategories.Api, "models (OpenAI-compatible)", async () =>
        {
            if (env.ApiKey is null) throw new SkipCheck("no --api-key");
            using var client = E2eRun.Client(run.BaseUrl, env.ApiKey);
            var models = await E2eRun.ExpectAsync(client.GetAsync("/v1/models"), 200, "GET /v1/models");
            var id = (string?)models?["data"]?.AsArray().FirstOrDefault()?["id"] ?? throw new CheckFailed("the key lists no model");
            return (id, $"model {id}");
        });
        await run.CheckAsync(E2eCategories.Api, "chat completion (OpenAI-compatible)", async () =>
        {
            if (env.ApiKey is null) throw new SkipCheck("no --api-key");
            if (model is null) throw new SkipCheck("no model to ask");
            return await CompletionAsync(run, env.ApiKey, model);
        });
    }

    /// <summary>One non-streaming chat completion; the answer's length and the tokens it used.</summary>
    public static async Task<string> CompletionAsync(E2eRun run, string apiKey, string model)
    {
        using var client = E2eRun.Client(run.BaseUrl, apiKey);
        var answer = await E2eRun.ExpectAsync(client.PostAsJsonAsync("/v1/chat/completions", new
        {
            model, messages = new[] { new { role = "user", content = "What can you help me with?" } },
        }), 200, "POST /v1/chat/completions");
        var text = (string?)answer?["choices"]?[0]?["message"]?["content"];
        if (string.IsNullOrWhiteSpace(text)) throw new CheckFailed("the completion has no text");
        return $"{text.Length} characters, {(int?)answer?["usage"]?["total_tokens"]} tokens";
    }
}
