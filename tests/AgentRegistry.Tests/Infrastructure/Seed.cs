using System.Text.Json.Nodes;

namespace AgentRegistry.Tests.Infrastructure;

/// <summary>A catalog and a subscribed tenant, created through the public API as an operator would.</summary>
public sealed record Seeded(string CategoryId, string AgentId, string AgentSlug, string PlanId, string SecondPlanId,
    string TenantId, string ProjectId, string AccessId);

public static class Seed
{
    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..10]}";

    public static async Task<Seeded> SubscribedTenantAsync(this HttpClient op)
    {
        var category = await op.PostJson("/api/v1/categories", new { name = "Support", slug = Unique("support") }).Created();
        var slug = Unique("helpdesk");
        var agent = await op.PostJson("/api/v1/agents", new
        {
            category_id = category.Id(), name = "Helpdesk", slug, description = "Answers support questions",
            default_persona = "You are a helpful support agent.",
        }).Created();
        var plan = await op.PostJson($"/api/v1/agents/{agent.Id()}/plans", Plan("Starter", 10m, 1000)).Created();
        var plan2 = await op.PostJson($"/api/v1/agents/{agent.Id()}/plans", Plan("Pro", 50m, 10000)).Created();
        var tenant = await op.PostJson("/api/v1/tenants", new { name = "Acme", slug = Unique("acme") }).Created();
        var project = await op.PostJson($"/api/v1/tenants/{tenant.Id()}/projects", new { name = "Website" }).Created();
        var access = await op.PostJson("/api/v1/accesses", new { project_id = project.Id(), agent_id = agent.Id(), plan_id = plan.Id() }).Created();
        return new Seeded(category.Id(), agent.Id(), slug, plan.Id(), plan2.Id(), tenant.Id(), project.Id(), access.Id());
    }

    public static object Plan(string name, decimal price, int messages) => new
    {
        name, unit = "month", unit_price = price,
        components = new object[]
        {
            new { type = "messages", name = "Messages", measured_unit = "messages", billing_type = "usage", price = 0.01m, limit = messages, hard_limit = true },
            new { type = "tokens", name = "Tokens", measured_unit = "k tokens", billing_type = "usage", metric = "output_tokens", unit_size = 1000, price = 0.002m },
        },
    };

    /// <summary>Issues a key for the access and returns its plaintext.</summary>
    public static async Task<string> IssueKeyAsync(this HttpClient client, string accessId, params string[] scopes)
    {
        var issued = await client.PostJson($"/api/v1/accesses/{accessId}/api-keys",
            new { name = "test", scopes = scopes.Length == 0 ? null : scopes }).Created();
        return (string)issued["key"]!;
    }

    public static async Task<HttpClient> MemberAsync(this RegistryApp app, HttpClient op, string tenantId)
    {
        var email = $"{Unique("member")}@test.local";
        var password = $"pw-{Guid.NewGuid():N}";
        await op.PostJson("/api/v1/accounts", new { email, role = "member", tenant_id = tenantId, password }).Created();
        return await app.SignInAsync(email, password);
    }

    public static HttpClient WithKey(this RegistryApp app, string key)
    {
        var client = app.Anonymous();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public static JsonArray Items(this JsonNode page) => page["items"]!.AsArray();
}
