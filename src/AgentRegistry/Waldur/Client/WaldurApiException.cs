using System.Net;

namespace AgentRegistry.Waldur.Client;

/// <summary>
/// A Waldur call that failed. <see cref="IsTransient"/> failures (5xx, 408, 429, timeouts, network errors) may
/// succeed later; the others (4xx) will not without a change. The message never contains the API token.
/// </summary>
public sealed class WaldurApiException(
    string message,
    HttpStatusCode? statusCode,
    bool isTransient,
    string? detail = null,
    IReadOnlyDictionary<string, IReadOnlyList<string>>? fieldErrors = null,
    Exception? innerException = null) : Exception(message, innerException)
{
    /// <summary>Null when no response came back (timeout, network error).</summary>
    public HttpStatusCode? StatusCode { get; } = statusCode;

    public bool IsTransient { get; } = isTransient;

    /// <summary>Waldur's <c>detail</c>, e.g. "Valid states for operation: executing."</summary>
    public string? Detail { get; } = detail;

    /// <summary>Validation errors by field (<c>non_field_errors</c> for the object as a whole).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> FieldErrors { get; } =
        fieldErrors ?? new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>
    /// 409: the object is already in another state (Waldur's IncorrectStateException), e.g. an order that was
    /// approved meanwhile. Re-fetch it and carry on from its current state.
    /// </summary>
    public bool IsStateConflict => StatusCode == HttpStatusCode.Conflict;

    public bool IsNotFound => StatusCode == HttpStatusCode.NotFound;

    /// <summary>Whether a response status means "try again later".</summary>
    public static bool IsTransientStatus(HttpStatusCode status) =>
        (int)status >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;
}
