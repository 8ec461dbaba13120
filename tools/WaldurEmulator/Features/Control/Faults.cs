using System.Text.Json.Serialization;
using WaldurEmulator.Infrastructure;

namespace WaldurEmulator.Features.Control;

/// <summary>
/// A fault for resilience tests: the next <see cref="Count"/> requests whose path starts with
/// <see cref="PathPrefix"/> (and whose method matches, if given) wait <see cref="DelayMs"/> and then answer
/// <see cref="Status"/>; with a delay and no status they carry on normally after the wait.
/// </summary>
internal sealed record FaultRule(
    [property: JsonPropertyName("path_prefix")] string PathPrefix,
    [property: JsonPropertyName("method")] string? Method = null,
    [property: JsonPropertyName("count")] int Count = 1,
    [property: JsonPropertyName("status")] int? Status = null,
    [property: JsonPropertyName("delay_ms")] int DelayMs = 0);

internal sealed class Faults
{
    private readonly List<(FaultRule Rule, int Left)> rules = [];

    public void Add(FaultRule rule)
    {
        lock (rules) rules.Add((rule, rule.Count));
    }

    public void Clear()
    {
        lock (rules) rules.Clear();
    }

    public IReadOnlyList<object> Describe()
    {
        lock (rules) return rules.Select(r => (object)new { rule = r.Rule, remaining = r.Left }).ToList();
    }

    /// <summary>Takes one use of the first rule that matches the request, if any.</summary>
    public FaultRule? Take(HttpRequest request)
    {
        lock (rules)
        {
            var index = rules.FindIndex(r => request.Path.Value?.StartsWith(r.Rule.PathPrefix, StringComparison.Ordinal) == true
                && (r.Rule.Method is null || r.Rule.Method.Equals(request.Method, StringComparison.OrdinalIgnoreCase)));
            if (index < 0) return null;
            var (rule, left) = rules[index];
            if (left <= 1) rules.RemoveAt(index);
            else rules[index] = (rule, left - 1);
            return rule;
        }
    }
}

internal sealed class FaultMiddleware(RequestDelegate next, Faults faults)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var fault = context.Request.Path.StartsWithSegments("/emulator") ? null : faults.Take(context.Request);
        if (fault is null)
        {
            await next(context);
            return;
        }
        if (fault.DelayMs > 0) await Task.Delay(fault.DelayMs, context.RequestAborted);
        var status = fault.Status ?? (fault.DelayMs > 0 ? 0 : 500);
        if (status == 0)
        {
            await next(context);
            return;
        }
        throw ApiException.Detail(status, "Fault injected by the Waldur emulator.");
    }
}
