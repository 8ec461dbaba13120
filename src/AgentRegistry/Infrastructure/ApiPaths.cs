namespace AgentRegistry.Infrastructure;

/// <summary>The paths machines call: they answer problem details (never a sign-in redirect) and get the API's headers.</summary>
public static class ApiPaths
{
    public static bool IsApi(PathString path) =>
        path.StartsWithSegments("/api") || path.StartsWithSegments("/v1") || path.StartsWithSegments("/webhooks");
}
