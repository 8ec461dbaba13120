namespace AgentRegistry.Infrastructure;

/// <summary>A request the domain refuses; mapped to problem details by <see cref="ProblemExceptionHandler"/>.</summary>
public abstract class RegistryException(int status, string kind, string message) : Exception(message)
{
    public int Status { get; } = status;
    /// <summary>The stable problem type slug, e.g. "not-found".</summary>
    public string Kind { get; } = kind;
}

public sealed class NotFoundException(string what) : RegistryException(404, "not-found", $"{what} was not found.");

public sealed class ConflictException(string kind, string message) : RegistryException(409, kind, message);

/// <summary>A semantically invalid field (422), named so a client can show it next to the input.</summary>
public sealed class FieldException(string field, string message)
    : RegistryException(422, "validation", message)
{
    public string Field { get; } = field;
}

/// <summary>Any other refusal with its own status and problem type (413 payload too large, 502 upstream failure, ...).</summary>
public sealed class ProblemException(int status, string kind, string message) : RegistryException(status, kind, message);

/// <summary>A hard plan limit is reached (429); retry when the next UTC month starts.</summary>
public sealed class QuotaExceededException(string message, long retryAfterSeconds)
    : RegistryException(429, "quota-exceeded", message)
{
    public long RetryAfterSeconds { get; } = retryAfterSeconds;
}

/// <summary>An input over its size bound (413), naming the field: a message, the messages of a request, a body.</summary>
public sealed class TooLargeException(string field, string kind, string message) : RegistryException(413, kind, message)
{
    public string Field { get; } = field;
}
