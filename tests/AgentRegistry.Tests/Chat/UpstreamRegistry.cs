using AgentRegistry.Tests.Infrastructure;
using AgentRegistry.Tests.Knowledge;

namespace AgentRegistry.Tests.Chat;

/// <summary>
/// A registry with a fake upstream of its own, started first so that the registry's default key (<c>Llm:ApiKey</c>)
/// can be bound to its base URL (<c>Llm:Endpoint</c>), which also allows its loopback address.
/// </summary>
public sealed class UpstreamRegistry<TDatabase> : RegistryApp<TDatabase> where TDatabase : TestDatabase, new()
{
    public FakeUpstream Upstream { get; } = new();

    protected override async Task<string?> StartSurroundingsAsync()
    {
        await Upstream.InitializeAsync();
        return null;
    }

    protected override void Configure(IDictionary<string, string?> settings) => settings["Llm:Endpoint"] = Upstream.V1;

    protected override ValueTask StopSurroundingsAsync() => Upstream.DisposeAsync();
}

public static class UpstreamAgents
{
    /// <summary>A tenant subscribed to an openai-provider agent at <paramref name="endpoint"/>, with a chat key (the operator is its member).</summary>
    public static async Task<Trained> RelayAsync(this RegistryApp app, HttpClient op, string endpoint, string model)
    {
        var category = await op.PostJson("/api/v1/categories", new { name = "Upstream", slug = Seed.Unique("up") }).Created();
        var agent = await op.PostJson("/api/v1/agents", new
        {
            category_id = category.Id(), name = "Relay", slug = Seed.Unique("relay"), default_persona = "You relay.",
            provider = "openai", model, endpoint,
        }).Created();
        var plan = await op.PostJson($"/api/v1/agents/{agent.Id()}/plans", Seed.Plan("Starter", 10m, 1000)).Created();
        var tenant = await op.PostJson("/api/v1/tenants", new { name = "Relay Co", slug = Seed.Unique("relayco") }).Created();
        var project = await op.PostJson($"/api/v1/tenants/{tenant.Id()}/projects", new { name = "Site" }).Created();
        var access = await op.PostJson("/api/v1/accesses", new { project_id = project.Id(), agent_id = agent.Id(), plan_id = plan.Id() }).Created();
        var key = await op.IssueKeyAsync(access.Id(), "chat");
        var seeded = new Seeded(category.Id(), agent.Id(), (string)agent["slug"]!, plan.Id(), plan.Id(), tenant.Id(), project.Id(), access.Id());
        return new Trained(seeded, op, app.WithKey(key), key);
    }
}
