using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentRegistry.Cli.E2e;

/// <summary>
/// The full run: the provider journey (catalog, publish to Waldur) and the customer journey (order in the Waldur
/// emulator, provisioning, keys, persona, chat over the API, the OpenAI-compatible API and the widget, usage), then
/// the clean-up of everything it made: the order is terminated in Waldur, the agent deactivated.
/// </summary>
internal sealed class JourneyChecks(E2eRun run, E2eEnvironment env)
{
    private const string Origin = "https://e2e.example.com";
    private static readonly JsonSerializerOptions Snake = Create();
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];

    private static JsonSerializerOptions Create()
    {
        var o = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Infrastructure.Json.Configure(o);
        return o;
    }

    private HttpClient _op = null!;
    private HttpClient _waldur = null!;
    private Uri _waldurUrl = null!;
    private Created? _created;

    /// <summary>What this run made, for the later checks and the clean-up.</summary>
    private sealed record Created(string AgentId, string Slug, string Offering, string Plan);

    private sealed record Subscription(string AccessId, string ResourceUuid, string ProjectUuid, string Key);

    public async Task RunAsync()
    {
        _op = E2eRun.Client(run.BaseUrl, env.Token);
        _waldurUrl = new Uri(env.WaldurUrl!.TrimEnd('/') + "/");
        _waldur = new HttpClient { BaseAddress = _waldurUrl, Timeout = TimeSpan.FromSeconds(30) };
        _waldur.DefaultRequestHeaders.Authorization = new("Token", env.WaldurToken ?? "emulator-token");
        try
        {
            _created = await run.CheckAsync(E2eCategories.Provider, "catalog: category, agent and plans", CatalogAsync);
            if (_created is not null)
                await run.CheckAsync(E2eCategories.Provider, "agent published to Waldur", PublishAsync);
            var subscription = _created is { Offering.Length: > 0 }
                ? await run.CheckAsync(E2eCategories.Customer, "Waldur order provisions a subscription", OrderAsync) : null;
            if (subscription is not null) await CustomerAsync(subscription);
            if (subscription is not null)
                await run.CheckAsync(E2eCategories.Customer, "clean-up: order terminated in Waldur, key refused", () => TerminateAsync(subscription));
            if (_created is not null)
                await run.CheckAsync(E2eCategories.Provider, "clean-up: agent deactivated", DeactivateAsync);
        }
        finally
        {
            _op.Dispose();
            _waldur.Dispose();
        }
    }

    private Task<HttpResponseMessage> Post(HttpClient client, string url, object body) => client.PostAsJsonAsync(url, body, Snake);

    private async Task<(Created, string)> CatalogAsync()
    {
        var category = await E2eRun.ExpectAsync(Post(_op, "/api/v1/categories", new { name = "E2E", slug = $"e2e-{_run}" }), 201, "create a category");
        var slug = $"e2e-agent-{_run}";
        var agent = await E2eRun.ExpectAsync(Post(_op, "/api/v1/agents", new
        {
            category_id = (string?)category?["id"], name = $"E2E agent {_run}", slug, description = "Made by agentregistry e2e; deactivated at the end.",
            default_persona = "You are a helpful support agent for an online shop.",
        }), 201, "create an agent");
        var id = (string)agent!["id"]!;
        foreach (var (name, price) in new[] { ("Starter", 10m), ("Pro", 50m) })
            await E2eRun.ExpectAsync(Post(_op, $"/api/v1/agents/{id}/plans", new
            {
                name, unit = "month", unit_price = price,
                components = new object[]
                {
                    new { type = "messages", name = "Messages", measured_unit = "messages", billing_type = "usage", price = 0.01m, limit = 1000, hard_limit = true },
                    new { type = "tokens", name = "Tokens", measured_unit = "k tokens", billing_type = "usage", metric = "output_tokens", unit_size = 1000, price = 0.002m },
                },
            }), 201, $"create the {name} plan");
        return (new Created(id, slug, "", ""), $"agent {slug} with plans Starter and Pro");
    }

    private async Task<string> PublishAsync()
    {
        var published = await E2eRun.ExpectAsync(_op.PostAsync($"/api/v1/agents/{_created!.AgentId}/publish", null), 200, "publish the agent");
        if ((string?)published?["waldur_offering_state"] != "Active")
            throw new CheckFailed($"the offering is {(string?)published?["waldur_offering_state"]}, not Active");
        var plans = await E2eRun.ExpectAsync(_op.GetAsync($"/api/v1/agents/{_created.AgentId}/plans"), 200, "list the plans");
        var plan = (string?)plans?.AsArray().FirstOrDefault(p => (string?)p?["name"] == "Starter")?["waldur_plan_uuid"]
            ?? throw new CheckFailed("the Starter plan has no Waldur plan");
        _created = _created with { Offering = (string)published!["waldur_offering_uuid"]!, Plan = plan };
        return $"offering {_created.Offering}, Active";
    }

    private async Task<(Subscription, string)> OrderAsync()
    {
        var customer = await E2eRun.ExpectAsync(Post(_waldur, "/emulator/customers", new { name = $"E2E customer {_run}" }), 201, "create a Waldur customer");
        var project = await E2eRun.ExpectAsync(Post(_waldur, "/emulator/projects", new { customer_uuid = (string?)customer?["uuid"], name = "Website" }), 201, "create a Waldur project");
        var projectUuid = (string)project!["uuid"]!;
        var order = await E2eRun.ExpectAsync(Post(_waldur, "/emulator/orders", new
        {
            offering_uuid = _created!.Offering, plan_uuid = _created.Plan, project_uuid = projectUuid, type = "Create",
        }), 201, "order the offering");
        var done = await OrderDoneAsync((string)order!["uuid"]!);
        var resource = Guid.Parse((string)done["marketplace_resource_uuid"]!);
        var access = await E2eRun.EventuallyAsync(async () =>
        {
            var list = await E2eRun.ExpectAsync(_op.GetAsync("/api/v1/accesses?page_size=200"), 200, "list accesses");
            return list?["items"]?.AsArray().FirstOrDefault(a => Guid.TryParse((string?)a?["waldur_resource_uuid"], out var u) && u == resource);
        }, 30, "the access of the Waldur resource");
        if ((string?)access["state"] != "active") throw new CheckFailed($"the access is {(string?)access["state"]}");
        var accessId = (string)access["id"]!;
        var keys = await E2eRun.ExpectAsync(_op.GetAsync($"/api/v1/accesses/{accessId}/api-keys"), 200, "list the access's keys");
        var first = keys?.AsArray().FirstOrDefault() ?? throw new CheckFailed("the order made no API key");
        var revealed = await E2eRun.ExpectAsync(_op.PostAsync($"/api/v1/accesses/{accessId}/api-keys/{(string?)first["id"]}/reveal", null), 200, "reveal the first key");
        await E2eRun.ExpectAsync(_op.PostAsync($"/api/v1/accesses/{accessId}/api-keys/{(string?)first["id"]}/reveal", null), 409, "reveal the first key again");
        return (new Subscription(accessId, resource.ToString("N"), projectUuid, (string)revealed!["key"]!),
            $"order done, access {accessId} active, first key revealed once");
    }

    private async Task<JsonNode> OrderDoneAsync(string uuid) => await E2eRun.EventuallyAsync(async () =>
    {
        var order = JsonNode.Parse(await _waldur.GetStringAsync($"api/marketplace-orders/{uuid}/"))!;
        return (string?)order["state"] switch
        {
            "done" => order,
            "rejected" or "erred" or "canceled" => throw new CheckFailed($"the Waldur order ended {(string?)order["state"]}"),
            _ => null,
        };
    }, 60, $"Waldur order {uuid} done");

    private async Task CustomerAsync(Subscription s)
    {
        using var key = E2eRun.Client(run.BaseUrl, s.Key);
        await run.CheckAsync(E2eCategories.Customer, "persona set", async () =>
        {
            await E2eRun.ExpectAsync(_op.PutAsJsonAsync($"/api/v1/accesses/{s.AccessId}/configuration",
                new { display_name = "Shop helper", tone = "friendly" }, Snake), 200, "PUT the configuration");
            return "display name and tone saved";
        });
        await run.CheckAsync(E2eCategories.Customer, "chat over the API key", async () =>
        {
            var answer = await E2eRun.ExpectAsync(Post(key, "/api/v1/chat", new { message = "What can you do for me?" }), 200, "POST /api/v1/chat");
            return $"{((string?)answer?["answer"])?.Length} characters in conversation {(string?)answer?["conversation_id"]}";
        });
        await run.CheckAsync(E2eCategories.Api, "chat completion with the new key (OpenAI-compatible)", () => SmokeChecks.CompletionAsync(run, s.Key, _created!.Slug));
        await run.CheckAsync(E2eCategories.Widget, "widget answers on its site, refuses another", async () =>
        {
            var widget = await E2eRun.ExpectAsync(Post(_op, $"/api/v1/accesses/{s.AccessId}/widgets", new { name = "E2E", allowed_origins = new[] { Origin } }), 201, "create a widget");
            var widgetKey = (string)widget!["key"]!;
            var init = await E2eRun.ExpectAsync(FromOrigin(HttpMethod.Get, $"/api/widget/v1/{widgetKey}/init", Origin), 200, "init from the allowed origin");
            var message = await E2eRun.ExpectAsync(FromOrigin(HttpMethod.Post, $"/api/widget/v1/{widgetKey}/messages", Origin,
                (string?)init?["visitor_token"], new { message = "Hello" }), 200, "send a message");
            await E2eRun.ExpectAsync(FromOrigin(HttpMethod.Get, $"/api/widget/v1/{widgetKey}/init", "https://elsewhere.example.net"), 403, "init from another origin");
            await E2eRun.ExpectAsync(_op.DeleteAsync($"/api/v1/accesses/{s.AccessId}/widgets/{(string?)widget["id"]}"), 204, "delete the widget");
            return $"answered {((string?)message?["answer"])?.Length} characters; other origin refused; widget deleted";
        });
        await run.CheckAsync(E2eCategories.Billing, "usage events counted once", async () =>
        {
            var issued = await E2eRun.ExpectAsync(Post(_op, $"/api/v1/accesses/{s.AccessId}/api-keys", new { name = "e2e usage", scopes = new[] { "usage:write" } }), 201, "issue a usage key");
            using var usage = E2eRun.Client(run.BaseUrl, (string)issued!["key"]!);
            var batch = new { events = new[] { new { id = $"e2e-{_run}-1", metric = "messages", quantity = 3, occurred_at = DateTime.UtcNow } } };
            var first = await E2eRun.ExpectAsync(Post(usage, "/api/v1/usage/events", batch), 200, "send usage events");
            var again = await E2eRun.ExpectAsync(Post(usage, "/api/v1/usage/events", batch), 200, "send them again");
            if ((int?)first?["accepted"] != 1 || (int?)again?["duplicate"] != 1)
                throw new CheckFailed($"expected 1 accepted then 1 duplicate, got {first?.ToJsonString()} then {again?.ToJsonString()}");
            var keyId = (string?)issued["api_key"]?["id"];
            await E2eRun.ExpectAsync(_op.DeleteAsync($"/api/v1/accesses/{s.AccessId}/api-keys/{keyId}"), 204, "revoke the usage key");
            var summary = await E2eRun.ExpectAsync(_op.GetAsync($"/api/v1/accesses/{s.AccessId}/usage"), 200, "read the access's usage");
            return $"1 accepted, the repeat a duplicate; usage: {E2eRun.Shorten(summary?["totals"]?.ToJsonString() ?? "")}";
        });
    }

    private Task<HttpResponseMessage> FromOrigin(HttpMethod method, string url, string origin, string? token = null, object? body = null)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.Add("Origin", origin);
        if (token is not null) request.Headers.Authorization = new("Bearer", token);
        if (body is not null) request.Content = JsonContent.Create(body, options: Snake);
        return run.Anonymous.SendAsync(request);
    }

    private async Task<string> TerminateAsync(Subscription s)
    {
        var order = await E2eRun.ExpectAsync(Post(_waldur, "/emulator/orders", new
        {
            offering_uuid = _created!.Offering, project_uuid = s.ProjectUuid, type = "Terminate", resource_uuid = s.ResourceUuid,
        }), 201, "order the termination");
        await OrderDoneAsync((string)order!["uuid"]!);
        var access = await E2eRun.EventuallyAsync(async () =>
        {
            var a = await E2eRun.ExpectAsync(_op.GetAsync($"/api/v1/accesses/{s.AccessId}"), 200, "read the access");
            return (string?)a?["state"] == "terminated" ? a : null;
        }, 30, "the access terminated");
        using var key = E2eRun.Client(run.BaseUrl, s.Key);
        var refused = await E2eRun.ExpectAsync(key.GetAsync("/v1/models"), 401, "the first key after termination");
        return $"access {(string?)access["state"]}, key refused ({(string?)refused?["type"]})";
    }

    private async Task<string> DeactivateAsync()
    {
        var agent = await E2eRun.ExpectAsync(_op.GetAsync($"/api/v1/agents/{_created!.AgentId}"), 200, "read the agent");
        agent!["is_active"] = false;
        await E2eRun.ExpectAsync(_op.PutAsync($"/api/v1/agents/{_created.AgentId}",
            new StringContent(agent.ToJsonString(), System.Text.Encoding.UTF8, "application/json")), 200, "deactivate the agent");
        return $"agent {_created.Slug} inactive (kept: its subscription's records stay for billing)";
    }
}
