using AgentRegistry.Tests.Infrastructure;

namespace AgentRegistry.Tests.Chat;

/// <summary>
/// A registry with a fake upstream of its own, started first so that the registry's default key (<c>Llm:ApiKey</c>)
/// can be bound to its base URL (<c>Llm:Endpoint</c>), which also allows its loopback address.
/// </summary>
public sealed class UpstreamSqliteRegistry : SqliteRegistry
{
    public FakeUpstream Upstream { get; } = new();

    protected override async Task<string?> PrepareDatabaseAsync()
    {
        await Upstream.InitializeAsync();
        return await base.PrepareDatabaseAsync();
    }

    protected override void Configure(IDictionary<string, string?> settings) => settings["Llm:Endpoint"] = Upstream.V1;

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Upstream.DisposeAsync();
    }
}

public sealed class UpstreamPostgresRegistry : PostgresRegistry
{
    public FakeUpstream Upstream { get; } = new();

    protected override async Task<string?> PrepareDatabaseAsync()
    {
        await Upstream.InitializeAsync();
        return await base.PrepareDatabaseAsync();
    }

    protected override void Configure(IDictionary<string, string?> settings) => settings["Llm:Endpoint"] = Upstream.V1;

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Upstream.DisposeAsync();
    }
}
