using AgentRegistry.Access;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentRegistry.Identity;
using AgentRegistry.Identity.Tokens;
using AgentRegistry.Infrastructure;
using AgentRegistry.Waldur;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AgentRegistry.Cli;

/// <summary>
/// <c>agentregistry demo --url &lt;registry&gt; --waldur-url &lt;emulator&gt; --seed &lt;file&gt;</c>: fills a running
/// registry (same database settings as this command) wired to the Waldur emulator with a sample: an agent trained on
/// the seed document, published, ordered by a customer in Waldur, with a widget; prints where to look.
/// <c>scripts/demo.sh</c> starts both servers and runs it.
/// </summary>
internal static class DemoCommand
{
    private static readonly JsonSerializerOptions Snake = Create();

    private static JsonSerializerOptions Create()
    {
        var o = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Json.Configure(o);
        return o;
    }

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output)
    {
        string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        if (!Uri.TryCreate(Option("--url"), UriKind.Absolute, out var url) || !Uri.TryCreate(Option("--waldur-url"), UriKind.Absolute, out var waldurUrl)
            || Option("--seed") is not { } seed || !File.Exists(seed))
        {
            output.WriteLine("Usage: agentregistry demo --url <registry base url> --waldur-url <Waldur emulator url> --seed <document>");
            return 2;
        }
        if (!services.GetRequiredService<IOptions<Waldur.Client.WaldurOptions>>().Value.Enabled)
        {
            output.WriteLine("error: the Waldur integration is off; run the demo through scripts/demo.sh, which points it at the emulator.");
            return 1;
        }

        await using var scope = services.GetRequiredService<IServiceScopeFactory>().CreateSystemScope("demo");
        var op = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(60) };
        op.DefaultRequestHeaders.Authorization = new("Bearer", await OperatorTokenAsync(scope.ServiceProvider));
        var waldur = new HttpClient { BaseAddress = waldurUrl, Timeout = TimeSpan.FromSeconds(30) };

        output.WriteLine("Creating the catalog: an agent trained on the seed document, with two plans ...");
        var category = await Send(op.PostAsJsonAsync("/api/v1/categories", new { name = "Customer support", slug = "support" }, Snake));
        var agent = await Send(op.PostAsJsonAsync("/api/v1/agents", new
        {
            category_id = Id(category), name = "Launch Guide", slug = "launch-guide",
            description = "Answers questions about the GTM readiness checklist.",
            default_persona = "You are the launch guide. Answer from the checklist, briefly, and cite it.",
            welcome_message = "Hi! Ask me anything about the launch checklist.",
        }, Snake));
        foreach (var (name, price, limit) in new[] { ("Starter", 10m, 1000), ("Pro", 50m, 10000) })
            await Send(op.PostAsJsonAsync($"/api/v1/agents/{Id(agent)}/plans", new
            {
                name, unit = "month", unit_price = price,
                components = new object[]
                {
                    new { type = "messages", name = "Messages", measured_unit = "messages", billing_type = "usage", price = 0.01m, limit, hard_limit = true },
                    new { type = "tokens", name = "Tokens", measured_unit = "k tokens", billing_type = "usage", metric = "output_tokens", unit_size = 1000, price = 0.002m },
                },
            }, Snake));

        output.WriteLine("Publishing the agent to Waldur and pointing Waldur's webhooks at the registry ...");
        var published = await Send(op.PostAsync($"/api/v1/agents/{Id(agent)}/publish", null));
        var configurator = scope.ServiceProvider.GetRequiredService<WebhookConfigurator>();
        await configurator.ApplyAsync(await configurator.PlanAsync(url, CancellationToken.None), CancellationToken.None);
        var plans = await Send(op.GetAsync($"/api/v1/agents/{Id(agent)}/plans"));

        output.WriteLine("A customer orders the agent in Waldur ...");
        var customer = await Send(waldur.PostAsJsonAsync("/emulator/customers", new { name = "Globex Corporation" }, Snake));
        var project = await Send(waldur.PostAsJsonAsync("/emulator/projects", new { customer_uuid = (string?)customer["uuid"], name = "Support site" }, Snake));
        var order = await Send(waldur.PostAsJsonAsync("/emulator/orders", new
        {
            offering_uuid = (string?)published["waldur_offering_uuid"], plan_uuid = (string?)plans.AsArray()[0]!["waldur_plan_uuid"],
            project_uuid = (string?)project["uuid"], type = "Create",
        }, Snake));
        var db = scope.ServiceProvider.GetRequiredService<RegistryDb>();
        var agentId = Guid.Parse(Id(agent));
        var access = await WaitAsync(() => db.Accesses.AsNoTracking().FirstOrDefaultAsync(a => a.AgentId == agentId && a.State == Access.AccessState.Active), 60)
            ?? throw new InvalidOperationException($"Waldur order {(string?)order["uuid"]} was not provisioned within 60 s; see the registry's log.");

        output.WriteLine("Training the subscription on the seed document and creating a widget ...");
        using (var form = new MultipartFormDataContent { { new ByteArrayContent(await File.ReadAllBytesAsync(seed)), "file", Path.GetFileName(seed) } })
            await Send(op.PostAsync($"/api/v1/accesses/{access.Id}/documents", form));
        var widget = await Send(op.PostAsJsonAsync($"/api/v1/accesses/{access.Id}/widgets", new
        {
            name = "Demo site", allowed_origins = new[] { url.GetLeftPart(UriPartial.Authority) },
            title = "Launch Guide", welcome_message = "Hi! Ask me anything about the launch checklist.",
        }, Snake));
        var keys = await Send(op.GetAsync($"/api/v1/accesses/{access.Id}/api-keys"));
        var key = await Send(op.PostAsync($"/api/v1/accesses/{access.Id}/api-keys/{Id(keys.AsArray()[0]!)}/reveal", null));

        var root = url.GetLeftPart(UriPartial.Authority);
        output.WriteLine($"""

            The demo is ready.
              Admin:           {root}/admin
              Customer portal: {root}/portal/accesses/{access.Id}
              Widget preview:  {root}/widget/{(string?)widget["key"]}/preview   (signed in)
              Waldur emulator: {waldurUrl.GetLeftPart(UriPartial.Authority)}/api/marketplace-orders/{(string?)order["uuid"]}/ (Authorization: Token emulator-token)
              API key of the subscription (shown once): {(string?)key["key"]}
                curl -H "Authorization: Bearer {(string?)key["key"]}" -H "Content-Type: application/json" \
                     -d '{"{"}"message": "What is left before launch?"{"}"}' {root}/api/v1/chat
            """);
        return 0;
    }

    /// <summary>A token of the first operator account, made here for the demo's calls (it expires in a day).</summary>
    private static async Task<string> OperatorTokenAsync(IServiceProvider sp)
    {
        var admin = await sp.GetRequiredService<RegistryDb>().LocalAccounts.AsNoTracking().Where(a => a.Role == Roles.Operator && !a.IsDisabled)
            .OrderBy(a => a.CreatedAt).FirstOrDefaultAsync() ?? throw new InvalidOperationException("No operator account exists; start the registry first.");
        var principal = new ClaimsPrincipal(new ClaimsIdentity(
        [
            new(ClaimTypes.NameIdentifier, admin.Id.ToString()), new(RegistryClaims.Actor, admin.Email), new(ClaimTypes.Role, admin.Role),
        ], "demo"));
        var issued = await sp.GetRequiredService<PersonalAccessTokens>().IssueAsync(principal, "demo", [TokenScopes.Write], 1, CancellationToken.None);
        return issued.Secret;
    }

    private static async Task<JsonNode> Send(Task<HttpResponseMessage> call)
    {
        using var response = await call;
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    private static string Id(JsonNode node) => (string)node["id"]!;

    private static async Task<T?> WaitAsync<T>(Func<Task<T?>> probe, int seconds) where T : class
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            if (await probe() is { } found) return found;
            await Task.Delay(500);
        }
        return null;
    }
}
