using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentRegistry.Tests.Infrastructure;
using AgentRegistry.Tests.Knowledge;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AgentRegistry.Tests.Widget;

/// <summary>
/// The widget as a visitor meets it: a customer's page on another origin (a small Kestrel app on its own port)
/// embeds the snippet, and a real Chromium talks to the registry across origins.
/// </summary>
public abstract class WidgetBrowserTest : RegistryTest, IAsyncLifetime
{
    protected const string Question = "When is the support hotline open?";
    protected readonly Chromium _chromium;
    private readonly Dictionary<string, string> _pages = [];
    private WebApplication? _shop;
    protected Uri _shopOrigin = null!;

    protected WidgetBrowserTest(RegistryApp app, Chromium chromium) : base(app)
    {
        chromium.RequireAvailable();
        _chromium = chromium;
    }

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _shop = builder.Build();
        _shop.MapGet("/{name}", (string name) => _pages.TryGetValue(name, out var html) ? Results.Content(html, "text/html") : Results.NotFound());
        await _shop.StartAsync();
        _shopOrigin = new Uri(_shop.Urls.First());
    }

    public async ValueTask DisposeAsync()
    {
        if (_shop is not null) await _shop.DisposeAsync();
    }

    /// <summary>A trained agent with a widget that allows the shop's origin, and a shop page that embeds it.</summary>
    protected async Task<string> ShopPageAsync(string head = "", string name = "shop", object? theme = null)
    {
        var t = await App.TenantAsync(await Op());
        await t.TrainAsync(Encoding.UTF8.GetBytes("Our support hotline is open from 8 am to 6 pm, Monday to Friday."), "hours.txt");
        var widget = await t.Member.PostJson($"/api/v1/accesses/{t.Seeded.AccessId}/widgets", new
        {
            name = "Shop", allowed_origins = new[] { _shopOrigin.GetLeftPart(UriPartial.Authority) }, title = "Acme help",
            suggested_questions = new[] { "Opening hours?" }, theme,
        }).Created();
        _pages[name] = $"""
            <!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Acme shop</title>{head}</head>
            <body><main><h1>Acme shop</h1><p><a href="#top">Top</a></p></main>{widget["embed_snippet"]}</body></html>
            """;
        return name;
    }

    protected async Task<IPage> OpenShopAsync(string name, string? origin = null, BrowserNewContextOptions? device = null)
    {
        var page = await _chromium.NewPageAsync(origin is null ? _shopOrigin : new Uri(origin), device);
        await page.GotoAsync("/" + name);
        return page;
    }

    protected static ILocator Launcher(IPage page) => page.Locator("agentregistry-widget .launcher");
    protected static ILocator Answers(IPage page) => page.Locator("agentregistry-widget .msg.assistant");

    /// <summary>Serious and critical axe-core violations inside the widget.</summary>
    protected static async Task<JsonArray> AxeViolationsAsync(IPage page)
    {
        await page.AddScriptTagAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "Widget", "Assets", "axe.min.js") });
        var json = await page.EvaluateAsync<JsonElement>("""
            async () => {
              const r = await axe.run(document.querySelector('agentregistry-widget'));
              return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => ({ id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.html) }));
            }
            """);
        return JsonNode.Parse(json.GetRawText())!.AsArray();
    }
}

/// <summary>The widget in a visitor's browser, with the registry's default limits.</summary>
public sealed class WidgetBrowserTests(RegistryApp<Sqlite> app, Chromium chromium) : WidgetBrowserTest(app, chromium), IClassFixture<RegistryApp<Sqlite>>
{
    [Fact]
    public async Task VisitorOnAnotherOriginAsksGetsAStreamedAnswerAndSeesTheThreadAfterReload()
    {
        var page = await OpenShopAsync(await ShopPageAsync());
        await page.GetByRole(AriaRole.Button, new() { Name = "Open chat: Acme help" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Dialog, new() { Name = "Acme help" })).ToBeVisibleAsync();
        await page.GetByLabel("Your message").FillAsync(Question);
        await page.GetByLabel("Your message").PressAsync("Enter");
        await Expect(Answers(page).Last).ToContainTextAsync("8 am to 6 pm");
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("8 am to 6 pm");
        await page.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath("widget-open.png") });

        await page.ReloadAsync();
        await Launcher(page).ClickAsync();
        await Expect(page.Locator("agentregistry-widget .msg.user")).ToHaveTextAsync(Question);
        await Expect(Answers(page).Last).ToContainTextAsync("8 am to 6 pm");
    }

    [Fact]
    public async Task PageOnAnOriginNotAllowedGetsNoWidget()
    {
        var name = await ShopPageAsync();
        // localhost is another origin than 127.0.0.1, although it is the same server.
        var page = await _chromium.NewPageAsync(new Uri($"http://localhost:{_shopOrigin.Port}"));
        // The refused answer carries no CORS grant, so the browser reports the request as failed.
        var init = new TaskCompletionSource();
        page.RequestFailed += (_, r) => { if (r.Url.Contains("/init", StringComparison.Ordinal)) init.TrySetResult(); };
        page.RequestFinished += (_, r) => { if (r.Url.Contains("/init", StringComparison.Ordinal)) init.TrySetResult(); };
        await page.GotoAsync("/" + name);
        await init.Task.WaitAsync(TimeSpan.FromSeconds(15));
        await page.WaitForTimeoutAsync(500);
        Assert.Equal(0, await page.Locator("agentregistry-widget").CountAsync());
    }

    [Fact]
    public async Task KeyboardAloneOpensAsksAndClosesWithFocusKeptInsideWhileOpen()
    {
        var page = await OpenShopAsync(await ShopPageAsync());
        await Expect(Launcher(page)).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("Tab"); // the shop's link
        await page.Keyboard.PressAsync("Tab");
        await Expect(Launcher(page)).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        var input = page.GetByLabel("Your message");
        await Expect(input).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync(Question);
        await page.Keyboard.PressAsync("Enter");
        await Expect(Answers(page).Last).ToContainTextAsync("8 am to 6 pm");

        for (var i = 0; i < 8; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            Assert.True(await page.EvaluateAsync<bool>("() => document.activeElement?.tagName === 'AGENTREGISTRY-WIDGET'"),
                "focus left the open dialog");
        }
        await page.Keyboard.PressAsync("Escape");
        await Expect(page.GetByRole(AriaRole.Dialog)).ToBeHiddenAsync();
        await Expect(Launcher(page)).ToBeFocusedAsync();
    }

    [Fact]
    public async Task HostileHostCssAndGlobalNamesDoNotBreakTheWidget()
    {
        const string hostile = """
            <style>* { all: unset !important; } div { display: none !important; } button { visibility: hidden !important; }</style>
            <script>var AgentRegistryWidget = "taken"; var api = 1, open = 2, send = null; function init() { throw new Error("host"); }</script>
            """;
        var page = await OpenShopAsync(await ShopPageAsync(hostile, "hostile"));
        await Expect(Launcher(page)).ToBeVisibleAsync();
        await Launcher(page).ClickAsync();
        await page.GetByLabel("Your message").FillAsync(Question);
        await page.GetByLabel("Your message").PressAsync("Enter");
        await Expect(Answers(page).Last).ToContainTextAsync("8 am to 6 pm");
        Assert.Equal("function", await page.EvaluateAsync<string>("() => typeof window.AgentRegistryWidget.open"));
        await page.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath("widget-hostile-host.png") });
    }

    [Fact]
    public async Task OpenWidgetHasNoSeriousOrCriticalAccessibilityViolations()
    {
        var page = await OpenShopAsync(await ShopPageAsync());
        await Launcher(page).ClickAsync();
        await page.GetByLabel("Your message").FillAsync(Question);
        await page.GetByLabel("Your message").PressAsync("Enter");
        await Expect(Answers(page).Last).ToContainTextAsync("8 am to 6 pm");
        var violations = await AxeViolationsAsync(page);
        Assert.True(violations.Count == 0, "axe: " + violations.ToJsonString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task LightPrimaryColourGetsReadableTextInLightAndDarkMode(bool dark)
    {
        var page = await OpenShopAsync(await ShopPageAsync(theme: new { primary_color = "#FFD700", dark_mode = dark }));
        await Launcher(page).ClickAsync();
        await page.GetByLabel("Your message").FillAsync(Question);
        await page.GetByLabel("Your message").PressAsync("Enter");
        await Expect(Answers(page).Last).ToContainTextAsync("8 am to 6 pm");
        await Expect(page.Locator("agentregistry-widget .msg.user")).ToHaveCSSAsync("color", "rgb(0, 0, 0)");
        var violations = await AxeViolationsAsync(page);
        Assert.True(violations.Count == 0, "axe: " + violations.ToJsonString());
        await page.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath($"widget-gold-{(dark ? "dark" : "light")}.png") });
    }

    [Fact]
    public async Task OnAPhoneThePanelFillsTheScreenAndFollowsTheOnScreenKeyboard()
    {
        var phone = new BrowserNewContextOptions
        {
            ViewportSize = new() { Width = 390, Height = 844 }, IsMobile = true, HasTouch = true, DeviceScaleFactor = 3,
        };
        var page = await _chromium.NewPageAsync(_shopOrigin, phone);
        // Headless Chromium shows no on-screen keyboard; a stand-in visual viewport lets the test shrink it as a keyboard would.
        await page.AddInitScriptAsync("""
            (() => {
              const vv = new EventTarget();
              let keyboard = 0;
              Object.defineProperties(vv, {
                width: { get: () => innerWidth }, height: { get: () => innerHeight - keyboard },
                offsetTop: { value: 0 }, offsetLeft: { value: 0 }, pageTop: { value: 0 }, pageLeft: { value: 0 }, scale: { value: 1 },
              });
              Object.defineProperty(window, 'visualViewport', { value: vv, configurable: true });
              window.keyboard = (height) => { keyboard = height; vv.dispatchEvent(new Event('resize')); };
            })();
            """);
        await page.GotoAsync("/" + await ShopPageAsync());
        await Launcher(page).TapAsync();
        var panel = page.GetByRole(AriaRole.Dialog, new() { Name = "Acme help" });
        await Expect(panel).ToBeVisibleAsync();
        var box = (await panel.BoundingBoxAsync())!;
        Assert.Equal((0f, 0f, 390f, 844f), (box.X, box.Y, box.Width, box.Height));

        var input = page.GetByLabel("Your message");
        await Expect(input).ToBeFocusedAsync();
        await page.EvaluateAsync("() => keyboard(340)");
        await page.WaitForFunctionAsync("() => document.querySelector('agentregistry-widget').shadowRoot.querySelector('.panel').getBoundingClientRect().height === 504");
        var inputBox = (await input.BoundingBoxAsync())!;
        Assert.True(inputBox.Y >= 0 && inputBox.Y + inputBox.Height <= 504, $"input at {inputBox.Y}..{inputBox.Y + inputBox.Height}, keyboard from 504");
        await input.FillAsync(Question);
        await input.PressAsync("Enter");
        await Expect(Answers(page).Last).ToContainTextAsync("8 am to 6 pm");
        await page.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath("widget-phone-keyboard.png") });

        await page.EvaluateAsync("() => keyboard(0)");
        await page.WaitForFunctionAsync("() => document.querySelector('agentregistry-widget').shadowRoot.querySelector('.panel').getBoundingClientRect().height === 844");
    }

    [Fact]
    public async Task JavaScriptApiOpensSendsAndReportsEvents()
    {
        var page = await OpenShopAsync(await ShopPageAsync());
        await Expect(Launcher(page)).ToBeVisibleAsync();
        await page.EvaluateAsync("""
            () => { window.seen = []; AgentRegistryWidget.on('message', m => seen.push(m.role)); AgentRegistryWidget.on('open', () => seen.push('open')); }
            """);
        await page.EvaluateAsync($"() => AgentRegistryWidget.sendMessage({JsonSerializer.Serialize(Question)})");
        await Expect(Answers(page).Last).ToContainTextAsync("8 am to 6 pm");
        await page.WaitForFunctionAsync("() => window.seen.includes('assistant')");
        Assert.Equal(["open", "user", "assistant"], await page.EvaluateAsync<string[]>("() => window.seen"));
        await page.EvaluateAsync("() => AgentRegistryWidget.close()");
        await Expect(page.GetByRole(AriaRole.Dialog)).ToBeHiddenAsync();
    }
}

/// <summary>A registry whose visitors may send only two widget messages a minute.</summary>
public sealed class StrictWidgetLimitRegistry : RegistryApp<Sqlite>
{
    protected override void Configure(IDictionary<string, string?> settings) => settings["Widget:VisitorMessagesPerMinute"] = "2";
}

/// <summary>Refusals as the visitor meets them in the browser, across origins.</summary>
public sealed class WidgetRefusalBrowserTests(StrictWidgetLimitRegistry app, Chromium chromium)
    : WidgetBrowserTest(app, chromium), IClassFixture<StrictWidgetLimitRegistry>
{
    [Fact]
    public async Task FloodFromTheHostPageShowsTheRateLimitMessageWithItsWait()
    {
        var page = await OpenShopAsync(await ShopPageAsync());
        await Launcher(page).ClickAsync();
        var input = page.GetByLabel("Your message");
        for (var i = 0; i < 2; i++)
        {
            await input.FillAsync(Question);
            await input.PressAsync("Enter");
            await Expect(Answers(page)).ToHaveCountAsync(i + 2); // the welcome message, then one answer per question
            // The answer's bubble appears with its first bytes; the widget takes the next message once the stream ended.
            await Expect(page.Locator("agentregistry-widget button.send")).ToBeEnabledAsync();
        }
        await input.FillAsync("And on Saturday?");
        await input.PressAsync("Enter");
        var notice = page.Locator("agentregistry-widget .msg.error");
        await Expect(notice).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^Too many messages, try again in \d+ seconds\.$"));
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Too many messages, try again in");
    }

    [Fact]
    public async Task ExpiredVisitorTokenIsRenewedSilentlyAndTheMessageGoesThrough()
    {
        var page = await OpenShopAsync(await ShopPageAsync());
        await Expect(Launcher(page)).ToBeVisibleAsync();
        // A token the registry no longer accepts, as after expiry: the loader re-initialises once and sends again.
        var rewritten = false;
        await page.RouteAsync("**/api/widget/v1/*/messages", async route =>
        {
            if (rewritten) { await route.ContinueAsync(); return; }
            rewritten = true;
            var headers = new Dictionary<string, string>(route.Request.Headers) { ["authorization"] = "Bearer expired" };
            await route.ContinueAsync(new() { Headers = headers });
        });
        await Launcher(page).ClickAsync();
        await page.GetByLabel("Your message").FillAsync(Question);
        await page.GetByLabel("Your message").PressAsync("Enter");
        await Expect(Answers(page).Last).ToContainTextAsync("8 am to 6 pm");
        Assert.Equal(0, await page.Locator("agentregistry-widget .msg.error").CountAsync());
        Assert.Equal(1, await page.Locator("agentregistry-widget .msg.user").CountAsync());
    }
}
