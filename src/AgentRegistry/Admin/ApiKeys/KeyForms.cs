using AgentRegistry.Access;

namespace AgentRegistry.Admin.ApiKeys;

public static class KeyStatus
{
    public const string Active = "active";
    public const string Expired = "expired";
    public const string Revoked = "revoked";

    /// <summary>The status the REST API reports for the key.</summary>
    public static string Of(ApiKey key, DateTime now) => ApiKeyView.Of(key, now).Status;
}

/// <summary>The issue-a-key form, posted to /admin/apikeys/issue/{accessId}.</summary>
public sealed class IssueKeyForm
{
    public Guid AccessId { get; set; }
    public string? Name { get; set; } = "default";
    public List<string>? Scopes { get; set; } = [.. ApiKeyScopes.Default];
    /// <summary>Entered and shown as UTC.</summary>
    public DateTime? ExpiresAt { get; set; }
}

/// <summary>A key's plaintext, rendered once in the response to the POST that created it.</summary>
public sealed record IssuedKey(ApiKey Key, string Plaintext, Guid AccessId);
