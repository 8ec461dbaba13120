using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using AgentRegistry.Tests.Infrastructure;
using AgentRegistry.Tests.Knowledge;
using AgentRegistry.Tests.Waldur;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AgentRegistry.Tests.Portal;

/// <summary>
/// The customer's journey through the config portal in a real Chromium: an agent ordered in (emulated) Waldur, the
/// resource's portal link followed, signed in through single sign-on, and everything a customer does there, every page
/// under a Content-Security-Policy without unsafe-inline, checked by axe-core and kept as a screenshot.
/// </summary>
public abstract class PortalBrowserTests : RegistryTest
{
    private const string Hours = "Our support hotline is open from 8 am to 6 pm, Monday to Friday. Refunds take five working days.";
    private const string Question = "When is the support hotline open?";
    private readonly Chromium _chromium;
    private readonly Marketplace _market;
    private readonly PortalSurroundings _around;
    protected abstract string Provider { get; }

    protected PortalBrowserTests(RegistryApp app, Marketplace market, PortalSurroundings around, Chromium chromium) : base(app)
    {
        chromium.RequireAvailable();
        _chromium = chromium;
        _market = market;
        _around = around;
    }

    private async Task<IPage> BrowserAsync(BrowserNewContextOptions? device = null)
    {
        var page = await _chromium.NewPageAsync(App.BaseAddress, device);
        await page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"], new() { Origin = App.BaseAddress.GetLeftPart(UriPartial.Authority) });
        await page.AddInitScriptAsync("""
            window.__csp = [];
            document.addEventListener('securitypolicyviolation',
              e => window.__csp.push(`${e.violatedDirective} ${e.blockedURI || 'inline'} at ${e.sourceFile || location.pathname}:${e.lineNumber}`), true);
            """);
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        return page;
    }

    /// <summary>The page as a person meets it: no CSP violation, no serious axe finding, and a screenshot to look at.</summary>
    private async Task CheckAsync(IPage page, string name)
    {
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        var violations = await page.EvaluateAsync<string[]>("() => window.__csp");
        Assert.True(violations.Length == 0, $"{name} broke the Content-Security-Policy: {string.Join("; ", violations)}");
        await Axe.AssertNoSeriousViolationsAsync(page, name);
        await page.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath($"portal-{name}-{Provider}.png"), FullPage = true });
    }

    /// <summary>Follows a link of the access's section navigation and waits until the page and its scripts are loaded.</summary>
    private static async Task OpenSectionAsync(IPage page, string name)
    {
        var link = page.Locator("nav.access-nav").GetByRole(AriaRole.Link, new() { Name = name, Exact = true });
        var href = await link.GetAttributeAsync("href");
        await link.ClickAsync();
        await page.WaitForURLAsync($"**{href}", new() { WaitUntil = WaitUntilState.Load });
    }

    [Fact]
    public async Task CustomerFollowsTheWaldurLinkAndConfiguresTheirAgentInTheBrowser()
    {
        var op = await Op();
        var journey = new UsageReportingJourney(App, _market);
        var order = await journey.OrderAsync(op, "Globex <i>Corp</i>");
        var home = new Uri(order.PortalUrl).AbsolutePath;
        Assert.Equal($"/portal/accesses/{order.AccessId}", home);

        // The Waldur user signs in with the same account (single sign-on) and lands on their agent's page.
        _around.Issuer.SignedInUser = new Dictionary<string, object>
        {
            ["sub"] = Seed.Unique("waldur-user"), ["preferred_username"] = "gina@globex.example", ["waldur_customer_uuid"] = order.CustomerUuid.ToString("N"),
        };
        var page = await BrowserAsync();
        await page.GotoAsync(home);
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await page.WaitForURLAsync($"**{home}");
        await Expect(page.Locator("#access-state")).ToHaveTextAsync("active");
        // The organisation's name came from Waldur with markup in it: it is shown as text.
        await Expect(page.Locator("#tenant-name")).ToHaveTextAsync("Globex <i>Corp</i>");
        await CheckAsync(page, "access-home");

        // The first key: revealed once, and it works.
        await page.Locator("#reveal-key").ClickAsync();
        var firstKey = (await page.Locator("#api-key-plaintext").InnerTextAsync()).Trim();
        Assert.StartsWith("ar_live_", firstKey);
        var developer = App.WithKey(firstKey);
        Assert.Equal(HttpStatusCode.OK, (await developer.GetAsync("/v1/models")).StatusCode);
        await CheckAsync(page, "first-key-revealed");
        await page.GotoAsync(home);
        Assert.Equal(0, await page.Locator("#reveal-key").CountAsync());
        Assert.DoesNotContain(firstKey, await page.ContentAsync());

        // Documents: uploaded from the browser and ready without reloading the page; a wrong file is refused with its reason.
        await OpenSectionAsync(page, "Documents");
        await page.EvaluateAsync("() => window.__sameDocument = true");
        await page.Locator("#upload-files").SetInputFilesAsync(new FilePayload { Name = "hours.txt", MimeType = "text/plain", Buffer = Encoding.UTF8.GetBytes(Hours) });
        await Expect(page.Locator("#uploads li").First).ToContainTextAsync("Ready", new() { Timeout = 90_000 });
        await Expect(page.Locator("#documents tbody tr [data-status]").First).ToHaveTextAsync("ready");
        Assert.True(await page.EvaluateAsync<bool>("() => window.__sameDocument === true"), "the page was reloaded");
        await page.Locator("#upload-files").SetInputFilesAsync(new FilePayload { Name = "tool.exe", MimeType = "application/octet-stream", Buffer = [0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xff, 0xff, 0, 0] });
        await Expect(page.Locator("#uploads li").Nth(1)).ToContainTextAsync("Not stored:");
        Assert.Equal(1, (await op.GetAsync($"/api/v1/accesses/{order.AccessId}/documents").Json200())["total"]!.GetValue<int>());
        await page.Locator("#test").FillAsync("hotline opening hours");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search the documents" }).ClickAsync();
        await Expect(page.Locator("#test-passages li").First).ToContainTextAsync("8 am to 6 pm");
        await CheckAsync(page, "documents");

        // Persona: saved as a version (markup stays text), tried live through the chat pipeline, compared and rolled back.
        await OpenSectionAsync(page, "Persona");
        await page.GetByLabel("Display name").FillAsync("Globex <b>helper</b>");
        await page.GetByLabel("Tone").FillAsync("warm");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save a new version" }).ClickAsync();
        await Expect(page.Locator("#persona-saved")).ToHaveTextAsync("Saved as version 1.");
        await Expect(page.GetByLabel("Display name")).ToHaveValueAsync("Globex <b>helper</b>");
        await page.GetByLabel("Tone").FillAsync("brisk");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save a new version" }).ClickAsync();
        await Expect(page.Locator("#persona-saved")).ToHaveTextAsync("Saved as version 2.");
        await page.GetByLabel("Your question").FillAsync(Question);
        await page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        await Expect(page.Locator("#try-transcript .msg.assistant .text").Last).ToContainTextAsync("8 am to 6 pm");
        await CheckAsync(page, "persona");
        await page.GetByRole(AriaRole.Link, new() { Name = "Compare version 1 with the one in effect" }).ClickAsync();
        await Expect(page.Locator("dl.diff")).ToContainTextAsync("warm");
        await Expect(page.Locator("dl.diff")).ToContainTextAsync("brisk");
        await page.GetByRole(AriaRole.Button, new() { Name = "Roll back to version 1" }).ClickAsync();
        await Expect(page.Locator("#persona-saved")).ToHaveTextAsync("Saved as version 3.");
        await Expect(page.GetByLabel("Tone")).ToHaveValueAsync("warm");
        await CheckAsync(page, "persona-rolled-back");

        // A widget for their site: the snippet copied, the contrast checked while picking, the preview page opened.
        await OpenSectionAsync(page, "Widgets");
        await CheckAsync(page, "widgets");
        await page.GetByLabel("Name (for you; visitors do not see it)").FillAsync("Shop");
        await page.GetByLabel("Allowed sites").FillAsync("https://shop.globex.example");
        await page.GetByLabel("Title").FillAsync("Globex <em>help</em>");
        await page.GetByLabel("Text on the primary colour").FillAsync("#777777");
        await Expect(page.Locator("#contrast")).ToContainTextAsync("below the 4.5:1");
        await page.GetByLabel("Text on the primary colour").FillAsync("");
        await Expect(page.Locator("#contrast")).ToContainTextAsync("passes WCAG 2.2 AA");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create the widget" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/widgets/[0-9a-f-]{36}"));
        var snippet = await page.Locator("#embed-snippet").InnerTextAsync();
        Assert.Contains("data-widget-key=\"wk_", snippet);
        await page.Locator("#copy-snippet").ClickAsync();
        await Expect(page.Locator(".copy-status")).ToHaveTextAsync("Copied.");
        Assert.Equal(snippet.Trim(), await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));
        await Expect(page.Locator("#widget-preview [data-preview=title]")).ToHaveTextAsync("Globex <em>help</em>");
        await CheckAsync(page, "widget");
        var preview = await page.Context.RunAndWaitForPageAsync(() => page.Locator("#preview-link").ClickAsync());
        await Expect(preview.Locator("agentregistry-widget .launcher")).ToBeVisibleAsync();
        await preview.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath($"portal-widget-preview-{Provider}.png") });
        await preview.CloseAsync();

        // API keys: created with scopes and shown once, rotated with an overlap, revoked.
        await OpenSectionAsync(page, "API keys");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("ci");
        await page.Locator("#scope-usage-read").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Create the key" }).ClickAsync();
        var ciKey = (await page.Locator("#api-key-plaintext").InnerTextAsync()).Trim();
        Assert.Equal(HttpStatusCode.OK, (await App.WithKey(ciKey).GetAsync("/v1/models")).StatusCode);
        await CheckAsync(page, "key-created");
        await page.GetByRole(AriaRole.Button, new() { Name = "Rotate key ci" }).ClickAsync();
        var rotated = (await page.Locator("#api-key-plaintext").InnerTextAsync()).Trim();
        Assert.NotEqual(ciKey, rotated);
        Assert.Equal(HttpStatusCode.OK, (await App.WithKey(rotated).GetAsync("/v1/models")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await App.WithKey(ciKey).GetAsync("/v1/models")).StatusCode);
        await page.Locator($"tr:has(code:text-is('{rotated[..12]}…'))").GetByRole(AriaRole.Button, new() { Name = "Revoke key ci" }).ClickAsync();
        await Expect(page.Locator("#key-revoked")).ToBeVisibleAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, (await App.WithKey(rotated).GetAsync("/v1/models")).StatusCode);
        await CheckAsync(page, "keys");

        // A developer chats a few times; the usage chart, its table and the CSV count every answer.
        for (var i = 0; i < 3; i++) await developer.PostJson("/api/v1/chat", new { message = $"{Question} ({i})" }).Json200();
        await OpenSectionAsync(page, "Usage");
        await Expect(page.Locator("figure.chart[data-metric=messages]")).ToHaveAttributeAsync("data-drawn", "true");
        Assert.Equal(1, await page.Locator("figure.chart[data-metric=messages] canvas").CountAsync());
        await page.GetByText("The same as a table").ClickAsync();
        await Expect(page.Locator("td[data-total=messages]")).ToHaveTextAsync("4");
        await CheckAsync(page, "usage");
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#usage-csv").ClickAsync());
        var csv = await File.ReadAllLinesAsync((await download.PathAsync())!);
        Assert.Equal("day,metric,quantity", csv[0]);
        Assert.Equal(4, csv.Skip(1).Select(l => l.Split(',')).Where(c => c[1] == "messages").Sum(c => int.Parse(c[2])));

        // Conversations: newest first, searchable, each with its transcript and the passages the answers cited.
        await OpenSectionAsync(page, "Conversations");
        await Expect(page.Locator("#conversations tbody tr")).ToHaveCountAsync(4);
        await page.GetByLabel("Search questions and answers").FillAsync("(2)");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search", Exact = true }).ClickAsync();
        await Expect(page.Locator("#conversations tbody tr")).ToHaveCountAsync(1);
        await CheckAsync(page, "conversations");
        await page.Locator("#conversations tbody a").First.ClickAsync();
        await Expect(page.Locator("#transcript .msg.user .text")).ToHaveTextAsync($"{Question} (2)");
        await Expect(page.Locator("#transcript .citations blockquote").First).ToContainTextAsync("8 am to 6 pm");
        await CheckAsync(page, "conversation");

        // The Waldur links lead to Waldur's own pages for the resource, the offering, the invoices and the team.
        await page.GotoAsync(home);
        await CheckAsync(page, "access-home-after");
        var homeport = _around.Homeport.Url;
        foreach (var (link, path) in new[]
        {
            ("#waldur-resource", $"/resource-details/{order.ResourceUuid:N}"),
            ("#waldur-offering", $"/marketplace-public-offering/{Guid.Parse(order.OfferingUuid):N}/"),
            ("#waldur-invoices", $"/organizations/{order.CustomerUuid:N}/billing/"),
            ("#waldur-team", $"/organizations/{order.CustomerUuid:N}/users/"),
        })
        {
            await page.Locator(link).ClickAsync();
            await page.WaitForURLAsync(homeport + path);
            await Expect(page.Locator("#path")).ToHaveTextAsync(path);
            await page.GoBackAsync();
        }
        Assert.Contains($"/resource-details/{order.ResourceUuid:N}", _around.Homeport.Visited);
    }

    [Fact]
    public async Task CustomerKeepsATestQuestionRunsItSeesWhetherItPassesAndThePassagesThenDeletesIt()
    {
        const string manual = "# Nimbus T4 manual\n\n## Specifications\n\n| Property | Value |\n|---|---|\n| Weight | 180 g |\n| Warranty | 3 years |\n\n"
            + "## Factory reset\n\nHold the mode button and the back button together for ten seconds.\n";
        var op = await Op();
        var seeded = await op.SubscribedTenantAsync();
        var email = $"{Seed.Unique("member")}@nimbus.example";
        var password = $"pw-{Guid.NewGuid():N}";
        await op.PostJson("/api/v1/accounts", new { email, role = "member", tenant_id = seeded.TenantId, password }).Created();
        await new Trained(seeded, op, op, "").TrainAsync(Encoding.UTF8.GetBytes(manual), "manual.md");
        var api = $"/api/v1/accesses/{seeded.AccessId}/test-questions";
        var home = $"/portal/accesses/{seeded.AccessId}";

        var page = await BrowserAsync();
        await page.GotoAsync($"/login?ReturnUrl={Uri.EscapeDataString(home)}");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync($"**{home}");
        await Expect(page.Locator("#questions-tile")).ToContainTextAsync("None yet");
        await OpenSectionAsync(page, "Test questions");
        await Expect(page.Locator("#questions-empty")).ToBeVisibleAsync();
        await CheckAsync(page, "test-questions-empty");

        // A question without its expected answer: the reason beside the field, what was typed kept, nothing stored.
        await page.GetByLabel("Question", new() { Exact = true }).FillAsync("How long is the warranty?");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add the question" }).ClickAsync();
        await Expect(page.Locator("[data-valmsg-for='Form.ExpectedAnswer']")).ToContainTextAsync("required");
        await Expect(page.GetByLabel("Question", new() { Exact = true })).ToHaveValueAsync("How long is the warranty?");
        Assert.Empty((await op.GetAsync(api).Json200()).AsArray());
        await CheckAsync(page, "test-questions-invalid");

        await page.GetByLabel("Expected answer").FillAsync("3 years");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add the question" }).ClickAsync();
        await Expect(page.Locator("#questions-done")).ToContainTextAsync("The question is kept.");
        await page.GetByLabel("Question", new() { Exact = true }).FillAsync("What colour is the device?");
        await page.GetByLabel("Expected answer").FillAsync("green");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add the question" }).ClickAsync();
        await Expect(page.Locator("#test-questions > li")).ToHaveCountAsync(2);

        await page.GetByRole(AriaRole.Button, new() { Name = "Run all questions" }).ClickAsync();
        await Expect(page.Locator("#questions-done")).ToHaveTextAsync("Ran 2 question(s): 1 pass, 1 fail.");
        var warranty = page.Locator("#test-questions > li").Filter(new() { HasText = "How long is the warranty?" });
        var colour = page.Locator("#test-questions > li").Filter(new() { HasText = "What colour is the device?" });
        await Expect(warranty.Locator("[data-verdict]")).ToHaveTextAsync("passes");
        await Expect(colour.Locator("[data-verdict]")).ToHaveTextAsync("fails");
        await Expect(warranty.Locator(".last-run")).Not.ToHaveTextAsync("never");
        await Expect(warranty.Locator(".answer")).ToContainTextAsync("3 years");
        await warranty.GetByText("passage(s) found").ClickAsync();
        var found = warranty.Locator("ol.passages li").Filter(new() { HasText = "3 years" });
        await Expect(found.Locator(".passage-source")).ToContainTextAsync("manual › Nimbus T4 manual > Specifications");
        await CheckAsync(page, "test-questions");

        await colour.GetByRole(AriaRole.Button, new() { Name = "Delete the question What colour is the device?" }).ClickAsync();
        await Expect(page.Locator("#questions-done")).ToHaveTextAsync("The question is deleted.");
        await Expect(page.Locator("#test-questions > li")).ToHaveCountAsync(1);
        var left = (await op.GetAsync(api).Json200()).AsArray();
        Assert.Equal("How long is the warranty?", (string?)Assert.Single(left)!["question"]);
        await OpenSectionAsync(page, "Overview");
        await Expect(page.Locator("#questions-tile")).ToContainTextAsync("1 question(s)");
    }

    [Fact]
    public async Task MemberSignedInLocallyOnAPhoneUsesEveryPageAndAnotherTenantsMemberGetsNotFound()
    {
        var op = await Op();
        var journey = new UsageReportingJourney(App, _market);
        var order = await journey.OrderAsync(op, Seed.Unique("Initech"));
        var tenant = (string)(await op.GetAsync($"/api/v1/accesses/{order.AccessId}").Json200())["tenant_id"]!;
        var email = $"{Seed.Unique("member")}@initech.example";
        var password = $"pw-{Guid.NewGuid():N}";
        await op.PostJson("/api/v1/accounts", new { email, role = "member", tenant_id = tenant, password }).Created();
        var home = new Uri(order.PortalUrl).AbsolutePath;

        var phone = await BrowserAsync(new BrowserNewContextOptions
        {
            ViewportSize = new() { Width = 390, Height = 844 }, IsMobile = true, HasTouch = true, DeviceScaleFactor = 2,
        });
        await phone.GotoAsync($"/login?ReturnUrl={Uri.EscapeDataString(home)}");
        await phone.GetByLabel("Email").FillAsync(email);
        await phone.GetByLabel("Password").FillAsync(password);
        await phone.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await phone.WaitForURLAsync($"**{home}");
        var pages = new[] { "", "/persona", "/documents", "/test-questions", "/widgets", "/keys", "/usage", "/conversations" };
        foreach (var section in pages)
        {
            await phone.GotoAsync(home + section);
            // Nothing is wider than the phone: no sideways scrolling of the page itself.
            Assert.True(await phone.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"),
                $"{home + section} is wider than the phone");
            await Expect(phone.Locator("nav.access-nav")).ToBeVisibleAsync();
            await CheckAsync(phone, "phone" + (section.Length == 0 ? "-home" : section.Replace('/', '-')));
        }
        await phone.GotoAsync("/portal");
        await CheckAsync(phone, "phone-tenant-home");

        // Keyboard alone: from the skip link into the page and through the section navigation.
        await phone.GotoAsync(home);
        await phone.Keyboard.PressAsync("Tab");
        await Expect(phone.GetByRole(AriaRole.Link, new() { Name = "Skip to content" })).ToBeFocusedAsync();

        // A member of another tenant: every page of this access answers 404, as the API does.
        var other = await op.SubscribedTenantAsync();
        var stranger = await App.MemberAsync(op, other.TenantId);
        foreach (var section in pages)
        {
            var response = await stranger.GetAsync(home + section);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{home + section} answered {(int)response.StatusCode} to another tenant's member");
            Assert.Contains("id=\"not-found\"", await response.Content.ReadAsStringAsync());
        }
    }
}

public sealed class PortalBrowserOnSqlite(PortalRegistry<Sqlite> app, Chromium chromium)
    : PortalBrowserTests(app, app.Market, app.Surroundings, chromium), IClassFixture<PortalRegistry<Sqlite>>
{
    protected override string Provider => "sqlite";
}

public sealed class PortalBrowserOnPostgres(PortalRegistry<Postgres> app, Chromium chromium)
    : PortalBrowserTests(app, app.Market, app.Surroundings, chromium), IClassFixture<PortalRegistry<Postgres>>
{
    protected override string Provider => "postgres";
}
