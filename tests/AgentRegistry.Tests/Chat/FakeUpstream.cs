using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentRegistry.Tests.Chat;

/// <summary>
/// A tiny OpenAI-compatible upstream on Kestrel. The requested model picks the behaviour: "good" answers (JSON or
/// stream with usage), "garbage" sends non-JSON, "fail" answers 500, "hang" never answers.
/// </summary>
public sealed class FakeUpstream : IAsyncLifetime
{
    /// <summary>The base URL an OpenAI client uses (<c>http://127.0.0.1:port/v1</c>).</summary>
    public string V1 => new Uri(BaseAddress, "/v1").ToString();

    private WebApplication? _app;
    public Uri BaseAddress { get; private set; } = null!;
    public ConcurrentQueue<(string? Authorization, JsonObject Body)> Requests { get; } = new();

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapPost("/v1/chat/completions", Handle);
        _app.MapPost("/{prefix}/v1/chat/completions", Handle);
        await _app.StartAsync();
        BaseAddress = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    private async Task Handle(HttpContext http)
    {
        var body = (JsonObject)(await JsonNode.ParseAsync(http.Request.Body))!;
        Requests.Enqueue((http.Request.Headers.Authorization, body));
        switch ((string?)body["model"])
        {
            case "garbage":
                http.Response.ContentType = "application/json";
                await http.Response.WriteAsync("<html>definitely not json");
                return;
            case "fail":
                http.Response.StatusCode = 500;
                await http.Response.WriteAsJsonAsync(new { error = new { message = "boom", type = "server_error" } });
                return;
            case "hang":
                await Task.Delay(TimeSpan.FromMinutes(2), http.RequestAborted);
                return;
        }
        if (body["stream"]?.GetValue<bool>() == true)
        {
            http.Response.ContentType = "text/event-stream";
            foreach (var piece in new[] { "Upstream ", "says ", "hello [1]" })
                await Write(http, Chunk(new JsonObject { ["content"] = piece }, null));
            await Write(http, Chunk(new JsonObject(), "stop"));
            var usage = Chunk(null, null);
            usage["choices"] = new JsonArray();
            usage["usage"] = Usage();
            await Write(http, usage);
            await http.Response.WriteAsync("data: [DONE]\n\n");
            return;
        }
        await http.Response.WriteAsJsonAsync(new JsonObject
        {
            ["id"] = "up-1", ["object"] = "chat.completion", ["created"] = 1, ["model"] = "good",
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0, ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = "Upstream says hello [1]" }, ["finish_reason"] = "stop",
            }),
            ["usage"] = Usage(),
        });
    }

    private static JsonObject Usage() => new() { ["prompt_tokens"] = 11, ["completion_tokens"] = 7, ["total_tokens"] = 18 };

    private static JsonObject Chunk(JsonObject? delta, string? finish) => new()
    {
        ["id"] = "up-1", ["object"] = "chat.completion.chunk", ["created"] = 1, ["model"] = "good",
        ["choices"] = delta is null ? new JsonArray() : new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["finish_reason"] = finish }),
    };

    private static async Task Write(HttpContext http, JsonObject chunk)
    {
        await http.Response.WriteAsync($"data: {chunk.ToJsonString()}\n\n");
        await http.Response.Body.FlushAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
    }
}
