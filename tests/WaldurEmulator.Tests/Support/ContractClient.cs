using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using WaldurEmulator.Tests.Contract;

namespace WaldurEmulator.Tests.Support;

public sealed record ApiResponse(HttpStatusCode Status, JsonNode? Body, HttpResponseHeaders Headers)
{
    public JsonObject Object => Body as JsonObject ?? throw new InvalidOperationException($"Not an object: {Body?.ToJsonString()}");
    public JsonArray Array => Body as JsonArray ?? throw new InvalidOperationException($"Not an array: {Body?.ToJsonString()}");
    public string Header(string name) => Headers.TryGetValues(name, out var values) ? string.Join(",", values) : "";
}

/// <summary>
/// Calls the emulator over HTTP and checks each exchange on /api/ against the contract: the request body
/// against the request schema, and every documented status's response body against its response schema.
/// </summary>
public sealed class ContractClient(HttpClient http)
{
    private readonly OpenApiContract contract = OpenApiContract.Instance;

    /// <summary>Every (method, template, status) this client has validated, for coverage assertions.</summary>
    public List<string> Validated { get; } = [];

    public Task<ApiResponse> Get(string path) => Send(HttpMethod.Get, path, null);
    public Task<ApiResponse> Post(string path, JsonNode? body = null) => Send(HttpMethod.Post, path, body);
    public Task<ApiResponse> Put(string path, JsonNode body) => Send(HttpMethod.Put, path, body);
    public Task<ApiResponse> Patch(string path, JsonNode body) => Send(HttpMethod.Patch, path, body);
    public Task<ApiResponse> Delete(string path) => Send(HttpMethod.Delete, path, null);

    public async Task<ApiResponse> Send(HttpMethod method, string path, JsonNode? body)
    {
        var template = path.StartsWith("/api/", StringComparison.Ordinal) ? contract.TemplateFor(path) : null;
        if (body is not null && template is not null) Assert.Empty(contract.ValidateRequest(template, method.Method, body));

        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var json = string.IsNullOrEmpty(text) ? null : JsonNode.Parse(text);

        var status = (int)response.StatusCode;
        if (template is not null && status < 400)
        {
            var errors = contract.ValidateResponse(template, method.Method, status, json);
            Assert.True(errors.Count == 0, $"{method} {path} -> {status} breaks the contract:\n{string.Join("\n", errors)}\n{text}");
            Validated.Add($"{method.Method} {template} {status}");
        }
        return new ApiResponse(response.StatusCode, json, response.Headers);
    }
}
