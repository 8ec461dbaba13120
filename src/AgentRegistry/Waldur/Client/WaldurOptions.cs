using System.ComponentModel.DataAnnotations;

namespace AgentRegistry.Waldur.Client;

/// <summary>How the registry reaches Waldur; bound from the "Waldur" section.</summary>
public sealed class WaldurOptions : IValidatableObject
{
    public const string Section = "Waldur";

    /// <summary>
    /// Waldur's API root, e.g. <c>https://waldur.example.com/api/</c>. The host alone
    /// (<c>https://waldur.example.com</c>) also works: a path that does not end in <c>/api</c> gets <c>/api/</c> appended.
    /// </summary>
    public string? ApiUrl { get; set; }

    /// <summary>
    /// Waldur's web interface, e.g. <c>https://waldur.example.com</c>. Set, the portal links to the resource, the
    /// organisation's invoices and team, and the offering there (see <see cref="WaldurLinks"/>); independent of the API settings.
    /// </summary>
    public string? HomeUrl { get; set; }

    /// <summary>API token of the service-provider user, sent as <c>Authorization: Token …</c>.</summary>
    public string? Token { get; set; }

    /// <summary>Time limit of one attempt.</summary>
    [Range(0.05, 3600)]
    public double TimeoutSeconds { get; set; } = 30;

    /// <summary>Retries of an idempotent request after a transient failure (0 = none).</summary>
    [Range(0, 10)]
    public int Retries { get; set; } = 3;

    /// <summary>Base of the exponential backoff between retries (jittered; a Retry-After header wins).</summary>
    [Range(0, 30_000)]
    public int RetryDelayMilliseconds { get; set; } = 1000;

    /// <summary>Time limit of a call including its retries; defaults to every attempt's limit plus 30 s of backoff.</summary>
    [Range(0.05, 36_000)]
    public double? TotalTimeoutSeconds { get; set; }

    /// <summary>The integration is on when both the API URL and the token are set.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(ApiUrl) && !string.IsNullOrWhiteSpace(Token);

    /// <summary>The token as sent (surrounding whitespace, e.g. from a secret file, removed).</summary>
    public string? TokenValue => string.IsNullOrWhiteSpace(Token) ? null : Token.Trim();

    public TimeSpan AttemptTimeout => TimeSpan.FromSeconds(TimeoutSeconds);

    public TimeSpan TotalTimeout => TimeSpan.FromSeconds(TotalTimeoutSeconds ?? TimeoutSeconds * (Retries + 1) + 30);

    /// <summary>The API root, normalised to end in <c>/api/</c>; null when the integration is off.</summary>
    public Uri? ApiRoot => Enabled && Uri.TryCreate(ApiUrl!.Trim(), UriKind.Absolute, out var uri) ? Normalise(uri) : null;

    private static Uri Normalise(Uri uri)
    {
        var path = uri.AbsolutePath.TrimEnd('/');
        if (!path.EndsWith("/api", StringComparison.OrdinalIgnoreCase)) path += "/api";
        return new UriBuilder(uri) { Path = path + "/", Query = "", Fragment = "" }.Uri;
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var hasUrl = !string.IsNullOrWhiteSpace(ApiUrl);
        var hasToken = !string.IsNullOrWhiteSpace(Token);
        if (hasUrl != hasToken)
            yield return new ValidationResult("Waldur:ApiUrl and Waldur:Token must be set together (or both left empty to turn the integration off).",
                [hasUrl ? nameof(Token) : nameof(ApiUrl)]);
        if (hasUrl && (!Uri.TryCreate(ApiUrl!.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http")))
            yield return new ValidationResult($"Waldur:ApiUrl must be an absolute http(s) URL such as https://waldur.example.com/api/, not '{ApiUrl}'.",
                [nameof(ApiUrl)]);
        else if (hasUrl && !string.IsNullOrEmpty(new Uri(ApiUrl!.Trim()).UserInfo))
            yield return new ValidationResult("Waldur:ApiUrl must not carry credentials; put the token in Waldur:Token.", [nameof(ApiUrl)]);
        if (!string.IsNullOrWhiteSpace(HomeUrl) && (!Uri.TryCreate(HomeUrl.Trim(), UriKind.Absolute, out var home) || home.Scheme is not ("https" or "http")))
            yield return new ValidationResult($"Waldur:HomeUrl must be an absolute http(s) URL such as https://waldur.example.com, not '{HomeUrl}'.",
                [nameof(HomeUrl)]);
        if (hasToken && Token!.Trim().Any(char.IsWhiteSpace))
            yield return new ValidationResult("Waldur:Token must not contain whitespace.", [nameof(Token)]);
    }
}
