using System.Text.Json.Nodes;

namespace AgentRegistry.Infrastructure.OpenApi;

/// <summary>The ways to authenticate, and which of them each operation accepts.</summary>
internal static class SecuritySchemes
{
    public const string ApiKey = "apiKey", Token = "personalAccessToken", Cookie = "cookie", Oidc = "oidcBearer";

    public static JsonObject Definitions() => new()
    {
        [ApiKey] = new JsonObject
        {
            ["type"] = "http", ["scheme"] = "bearer", ["bearerFormat"] = "ar_live_…",
            ["description"] = "An access's API key (Authorization: Bearer ar_live_…), with the scope the operation names.",
        },
        [Token] = new JsonObject
        {
            ["type"] = "http", ["scheme"] = "bearer", ["bearerFormat"] = "ar_pat_…",
            ["description"] = "A person's personal access token (/admin/tokens or POST /api/v1/me/tokens); api:read allows GET only.",
        },
        [Oidc] = new JsonObject
        {
            ["type"] = "http", ["scheme"] = "bearer", ["bearerFormat"] = "JWT",
            ["description"] = "An access token of the configured OpenID Connect issuer (when Oidc:Authority is set).",
        },
        [Cookie] = new JsonObject
        {
            ["type"] = "apiKey", ["in"] = "cookie", ["name"] = "agentregistry",
            ["description"] = "The browser session after signing in at /login.",
        },
    };

    /// <summary>Any one of the listed schemes will do; an empty list: no authentication.</summary>
    public static JsonArray For(string[]? policies)
    {
        if (policies is null) return [];
        string[] schemes = policies.Any(p => p is Policies.ChatKey or Policies.UsageWriteKey) ? [ApiKey] : [Token, Oidc, Cookie];
        return new JsonArray(schemes.Select(s => (JsonNode)new JsonObject { [s] = new JsonArray() }).ToArray());
    }
}
