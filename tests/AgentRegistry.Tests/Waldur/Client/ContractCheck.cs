using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using WaldurEmulator.Tests.Contract;

namespace AgentRegistry.Tests.Waldur.Client;

/// <summary>
/// What the client sent and got, checked against the Waldur OpenAPI subset: the operation exists, query
/// parameters are documented, the request body validates, and every success response validates.
/// </summary>
public sealed class ContractCheck
{
    private readonly OpenApiContract contract = OpenApiContract.Instance;

    public ConcurrentQueue<string> Violations { get; } = new();
    public ConcurrentQueue<string> Validated { get; } = new();
    public ConcurrentQueue<HttpRequestMessage> Attempts { get; } = new();
    public ConcurrentQueue<string> Bodies { get; } = new();

    public int AttemptsAt(HttpMethod method, string pathPart) =>
        Attempts.Count(r => r.Method == method && r.RequestUri!.AbsolutePath.Contains(pathPart, StringComparison.Ordinal));

    public DelegatingHandler CreateHandler() => new Handler(this);

    private void Violate(string violation)
    {
        Violations.Enqueue(violation);
        Assert.Fail(violation);
    }

    private async Task CheckRequestAsync(HttpRequestMessage request, CancellationToken ct)
    {
        Attempts.Enqueue(request);
        var path = request.RequestUri!.AbsolutePath;
        var method = request.Method.Method;
        var template = contract.TemplateFor(path);
        if (template is null || contract.Operation(template, method) is not { } operation)
        {
            Violate($"{method} {path} is not an operation of the subset");
            return;
        }
        var documented = Parameters(operation);
        foreach (var name in QueryNames(request.RequestUri))
            if (!documented.Contains(name)) Violate($"{method} {template}: query parameter '{name}' is not documented");

        if (request.Content is null) return;
        var text = await request.Content.ReadAsStringAsync(ct);
        Bodies.Enqueue(text);
        var errors = contract.ValidateRequest(template, method, JsonNode.Parse(text)!);
        if (errors.Count > 0) Violate($"{method} {template} request breaks the contract:\n{string.Join("\n", errors)}\n{text}");
    }

    private async Task CheckResponseAsync(HttpRequestMessage request, HttpResponseMessage response, CancellationToken ct)
    {
        var status = (int)response.StatusCode;
        if (status >= 400) return; // error bodies are DRF-shaped and mostly undocumented
        var method = request.Method.Method;
        var template = contract.TemplateFor(request.RequestUri!.AbsolutePath)!;
        await response.Content.LoadIntoBufferAsync(ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        var errors = contract.ValidateResponse(template, method, status, string.IsNullOrEmpty(text) ? null : JsonNode.Parse(text));
        if (errors.Count > 0) Violate($"{method} {template} -> {status} breaks the contract:\n{string.Join("\n", errors)}\n{text}");
        Validated.Enqueue($"{method} {template} {status}");
    }

    private HashSet<string> Parameters(JsonObject operation)
    {
        var names = new HashSet<string>();
        foreach (var parameter in operation["parameters"] as JsonArray ?? [])
        {
            var resolved = parameter!["$ref"] is { } reference
                ? contract.Document["components"]!["parameters"]![reference.GetValue<string>().Split('/')[^1]]!
                : parameter;
            if (resolved["in"]?.GetValue<string>() == "query") names.Add(resolved["name"]!.GetValue<string>());
        }
        return names;
    }

    private static IEnumerable<string> QueryNames(Uri uri) =>
        uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => Uri.UnescapeDataString(pair.Split('=')[0])).Distinct();

    private sealed class Handler(ContractCheck check) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            await check.CheckRequestAsync(request, ct);
            var response = await base.SendAsync(request, ct);
            await check.CheckResponseAsync(request, response, ct);
            return response;
        }
    }
}
