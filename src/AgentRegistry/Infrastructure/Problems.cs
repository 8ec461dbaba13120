using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Infrastructure;

/// <summary>Stable problem types: relative URIs under /problems/, one per kind of error.</summary>
public static class Problems
{
    public static string Type(string kind) => $"/problems/{kind}";

    public static IServiceCollection AddRegistryProblemDetails(this IServiceCollection services)
    {
        services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
        {
            c.ProblemDetails.Instance ??= c.HttpContext.Request.Path;
            if (c.ProblemDetails is HttpValidationProblemDetails validation) NameFieldsAsInJson(validation);
            c.ProblemDetails.Extensions.TryAdd("trace_id",
                c.HttpContext.Features.Get<IHttpActivityFeature>()?.Activity.TraceId.ToString() ?? c.HttpContext.TraceIdentifier);
            if (c.ProblemDetails.Type is null or "about:blank" || c.ProblemDetails.Type.StartsWith("https://tools.ietf.org", StringComparison.Ordinal))
                c.ProblemDetails.Type = Type(c.ProblemDetails is HttpValidationProblemDetails ? "validation" : c.ProblemDetails.Status switch
                {
                    400 => "bad-request", 401 => "unauthenticated", 403 => "forbidden", 404 => "not-found",
                    405 => "method-not-allowed", 409 => "conflict", 413 => "payload-too-large", 415 => "unsupported-media-type",
                    422 => "validation", 429 => "rate-limited", _ => "server-error",
                });
            // One status per kind: a request that was read but holds invalid values is a 422, whoever found it (the
            // framework's validation of the annotations or a handler's own rule); what cannot be read at all is a 400.
            if (c.ProblemDetails.Type == Type("validation") && c.ProblemDetails.Status == 400)
            {
                c.ProblemDetails.Status = 422;
                c.HttpContext.Response.StatusCode = 422;
            }
        });
        services.AddExceptionHandler<ProblemExceptionHandler>();
        return services;
    }

    /// <summary>Validation names fields by their C# names; clients know them by their JSON (snake_case) names.</summary>
    private static void NameFieldsAsInJson(HttpValidationProblemDetails problem)
    {
        foreach (var (key, messages) in problem.Errors.ToList())
        {
            var json = string.Join('.', key.Split('.').Select(part =>
            {
                var bracket = part.IndexOf('[');
                return bracket < 0 ? Snake.ConvertName(part) : Snake.ConvertName(part[..bracket]) + part[bracket..];
            }));
            if (json == key) continue;
            var leaf = key.Split('.')[^1];
            problem.Errors.Remove(key);
            problem.Errors[json] = messages.Select(m => m.Replace($"field {leaf} ", $"field {json.Split('.')[^1]} ", StringComparison.Ordinal)).ToArray();
        }
    }

    private static readonly JsonNamingPolicy Snake = JsonNamingPolicy.SnakeCaseLower;

    public static IResult Result(int status, string kind, string title, string? detail = null,
        IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail, statusCode: status, title: title, type: Type(kind), extensions: extensions);
}

/// <summary>Maps what a client can cause to problem details; anything else stays a 500 without internals.</summary>
internal sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> log) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        if (exception is QuotaExceededException q) http.Response.Headers.RetryAfter = q.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var problem = exception switch
        {
            FieldException f => Validation(f.Field, f.Message),
            TooLargeException t => new HttpValidationProblemDetails(new Dictionary<string, string[]> { [t.Field] = [t.Message] })
            {
                Status = 413, Type = Problems.Type(t.Kind), Title = t.Message,
            },
            RegistryException r => new ProblemDetails { Status = r.Status, Type = Problems.Type(r.Kind), Title = r.Message },
            BadHttpRequestException b when b.InnerException is JsonException j => BadJson(j),
            BadHttpRequestException b when b.InnerException is DecoderFallbackException or InvalidDataException => Malformed(),
            BadHttpRequestException b when BindingFailure(b) is { } field => InvalidParameter(field),
            BadHttpRequestException b => new ProblemDetails
            {
                Status = b.StatusCode, Title = b.StatusCode == 413 ? "The request body is too large." : "The request is malformed.",
                Detail = b.StatusCode == 413 ? null : b.Message,
                Type = Problems.Type(b.StatusCode == 413 ? "payload-too-large" : "bad-request"),
            },
            // A parser that met a body it cannot read, wherever it ran: the client's fault, never a 500.
            JsonException j => BadJson(j),
            DecoderFallbackException or InvalidDataException => Malformed(),
            DbUpdateException d when IsUniqueViolation(d) => new ProblemDetails
            {
                Status = 409, Type = Problems.Type("conflict"), Title = "A record with the same unique value already exists.",
            },
            DbUpdateConcurrencyException => new ProblemDetails
            {
                Status = 409, Type = Problems.Type("concurrent-update"), Title = "The record was changed by someone else; reload and retry.",
            },
            OperationCanceledException when http.RequestAborted.IsCancellationRequested => null,
            _ => null,
        };
        if (problem is null)
        {
            if (http.RequestAborted.IsCancellationRequested) return true;
            log.LogError(exception, "Unhandled error on {Method} {Path}", http.Request.Method, http.Request.Path);
            return false;
        }
        http.Response.StatusCode = problem.Status ?? 400;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem, Exception = exception });
    }

    /// <summary>The parameter named in a binding failure ("Failed to bind parameter \"Guid id\" from ..."), in JSON form.</summary>
    private static string? BindingFailure(BadHttpRequestException e)
    {
        var m = System.Text.RegularExpressions.Regex.Match(e.Message, "parameter \"[^\"]* (?<name>[A-Za-z0-9_]+)\"");
        return m.Success ? JsonNamingPolicy.SnakeCaseLower.ConvertName(m.Groups["name"].Value) : null;
    }

    private static ProblemDetails Validation(string field, string message) => new HttpValidationProblemDetails(
        new Dictionary<string, string[]> { [field] = [message] })
    {
        Status = 422, Type = Problems.Type("validation"), Title = "One or more fields are invalid.", Detail = message,
    };

    /// <summary>A route or query value that cannot be read as its type (not a GUID, not a number): the request is malformed.</summary>
    private static ProblemDetails InvalidParameter(string field) => new HttpValidationProblemDetails(
        new Dictionary<string, string[]> { [field] = ["The value is missing or not valid here."] })
    {
        Status = 400, Type = Problems.Type("invalid-parameter"), Title = "A parameter of the request cannot be read.",
    };

    private static ProblemDetails Malformed() => new()
    {
        Status = 400, Type = Problems.Type("malformed-body"), Title = "The request body is malformed (its encoding or structure cannot be read).",
    };

    private static ProblemDetails BadJson(JsonException j)
    {
        var field = j.Path is { Length: > 2 } p ? p.TrimStart('$', '.') : "body";
        return new HttpValidationProblemDetails(new Dictionary<string, string[]>
        {
            [field] = [j.Path is null ? "The body is not valid JSON." : "The value has the wrong type or format."],
        })
        {
            Status = 400, Type = Problems.Type("malformed-json"), Title = "The request body is not valid JSON for this endpoint.",
        };
    }

    /// <summary>Whether a save failed on a unique index (two writers raced past the same check).</summary>
    internal static bool IsUniqueViolation(DbUpdateException e) =>
        e.InnerException?.GetType().Name switch
        {
            "SqliteException" => e.InnerException.Message.Contains("UNIQUE", StringComparison.Ordinal),
            "PostgresException" => (e.InnerException as Npgsql.PostgresException)?.SqlState == "23505",
            _ => false,
        };
}
