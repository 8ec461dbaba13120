using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace AgentRegistry.Tests.Infrastructure;

/// <summary>
/// Waldur's web interface as far as the portal's links need it: any path answers a page naming that path, and the
/// paths asked for are kept, so a test can follow a link and see where it landed.
/// </summary>
public sealed class Homeport : IAsyncDisposable
{
    private WebApplication? _app;
    public string Url { get; private set; } = "";
    public ConcurrentQueue<string> Visited { get; } = new();

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.Run(async http =>
        {
            Visited.Enqueue(http.Request.Path.Value ?? "/");
            http.Response.ContentType = "text/html; charset=utf-8";
            await http.Response.WriteAsync($"<!doctype html><html lang=\"en\"><head><title>Waldur</title></head><body><h1 id=\"path\">{System.Net.WebUtility.HtmlEncode(http.Request.Path.Value)}</h1></body></html>");
        });
        await _app.StartAsync();
        Url = _app.Urls.First().TrimEnd('/');
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
    }
}
