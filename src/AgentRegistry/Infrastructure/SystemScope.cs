namespace AgentRegistry.Infrastructure;

public static class SystemScope
{
    /// <summary>A service scope for background work that sees every tenant, audited as <paramref name="actor"/>.</summary>
    public static AsyncServiceScope CreateSystemScope(this IServiceScopeFactory scopes, string actor = "system")
    {
        var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<Caller>().AsSystem(actor);
        return scope;
    }
}
