namespace AgentRegistry.Infrastructure.RateLimiting;

/// <summary>
/// Names of the rate limit policies, put on route groups with <c>RequireRateLimiting</c>. Routing has already decided
/// which endpoint was called, so a path written differently (case, trailing slash) meets the same limit. Each feature
/// registers its own policy; the names live here so that any feature may refer to any of them.
/// </summary>
public static class RateLimitPolicies
{
    /// <summary>Widget messages: per visitor and per widget.</summary>
    public const string WidgetMessages = "widget-messages";
    /// <summary>Widget <c>init</c> (new visitor tokens): per widget and per widget and client address.</summary>
    public const string WidgetInit = "widget-init";
    /// <summary>Calls authenticated by an API key: per key.</summary>
    public const string ApiKey = "api-key";
    /// <summary>Waldur webhook deliveries: per client address.</summary>
    public const string Webhooks = "webhooks";
}
