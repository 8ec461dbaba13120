using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace AgentRegistry.Tests.Infrastructure;

/// <summary>
/// axe-core (vendored in Widget/Assets) run inside the page under test. It is loaded from a same-origin URL that the
/// test answers itself, so it runs on pages whose Content-Security-Policy allows only the registry's own scripts.
/// </summary>
public static class Axe
{
    private const string Url = "/__test/axe.min.js";
    private static readonly Lazy<string> Source = new(() => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Widget", "Assets", "axe.min.js")));
    private static readonly ConditionalWeakTable<IPage, object> Served = [];

    /// <summary>Serious and critical violations in the whole page, or inside the element <paramref name="selector"/> names.</summary>
    public static async Task<JsonArray> SeriousViolationsAsync(IPage page, string? selector = null)
    {
        if (!Served.TryGetValue(page, out _))
        {
            await page.RouteAsync("**" + Url, route => route.FulfillAsync(new() { Body = Source.Value, ContentType = "text/javascript" }));
            Served.Add(page, new object());
        }
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe !== 'undefined'"))
            await page.AddScriptTagAsync(new() { Url = Url });
        var json = await page.EvaluateAsync<JsonElement>("""
            async (selector) => {
              const r = await axe.run(selector ? document.querySelector(selector) : document);
              return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.html) }));
            }
            """, selector);
        return JsonNode.Parse(json.GetRawText())!.AsArray();
    }

    public static async Task AssertNoSeriousViolationsAsync(IPage page, string what)
    {
        var violations = await SeriousViolationsAsync(page);
        Assert.True(violations.Count == 0, $"axe on {what}: {violations.ToJsonString()}");
    }
}
