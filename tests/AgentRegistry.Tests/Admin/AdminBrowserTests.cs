using System.Net;
using System.Text.RegularExpressions;
using AgentRegistry.Tests.Infrastructure;
using Microsoft.Playwright;

namespace AgentRegistry.Tests.Admin;

/// <summary>The admin interface as an operator uses it: a real browser against the registry on a real port.</summary>
public abstract class AdminBrowserTests : RegistryTest
{
    private readonly Chromium _chromium;
    protected abstract string Provider { get; }

    protected AdminBrowserTests(RegistryApp app, Chromium chromium) : base(app)
    {
        chromium.RequireAvailable();
        _chromium = chromium;
    }

    private async Task<IPage> SignedInPageAsync()
    {
        var page = await _chromium.NewPageAsync(App.BaseAddress);
        await page.GotoAsync("/admin");
        Assert.StartsWith("/login", new Uri(page.Url).AbsolutePath);
        await page.GetByLabel("Email").FillAsync(RegistryApp.AdminEmail);
        await page.GetByLabel("Password").FillAsync(App.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync("**/admin");
        return page;
    }

    private static async Task SaveAsync(IPage page, string expectedPath)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await page.WaitForURLAsync(new Regex(Regex.Escape(expectedPath)));
    }

    private static string IdFromUrl(IPage page) => new Uri(page.Url).Segments[^1];

    private static async Task FillComponentAsync(IPage page, int row, string type, string name, string unit, decimal price,
        string? metric = null, long? unitSize = null, decimal? limit = null, bool hardLimit = false)
    {
        await page.GetByLabel($"Component {row} type").FillAsync(type);
        await page.GetByLabel($"Component {row} name").FillAsync(name);
        await page.GetByLabel($"Component {row} measured unit").FillAsync(unit);
        await page.GetByLabel($"Component {row} billing type").SelectOptionAsync("usage");
        if (metric is not null) await page.GetByLabel($"Component {row} metric").FillAsync(metric);
        if (unitSize is not null) await page.GetByLabel($"Component {row} unit size").FillAsync(unitSize.ToString()!);
        await page.GetByLabel($"Component {row} price").FillAsync(price.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (limit is not null) await page.GetByLabel($"Component {row} limit").FillAsync(limit.ToString()!);
        if (hardLimit) await page.GetByLabel($"Component {row} hard limit").CheckAsync();
    }

    private static async Task<string> AddPlanAsync(IPage page, string agentId, string name, decimal price)
    {
        await page.GotoAsync($"/admin/agents/details/{agentId}");
        await page.GetByRole(AriaRole.Link, new() { Name = "Add plan" }).ClickAsync();
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync(name);
        await page.GetByLabel("Unit price").FillAsync(price.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await FillComponentAsync(page, 1, "messages", "Messages", "messages", 0.01m, limit: 1000, hardLimit: true);
        await FillComponentAsync(page, 2, "tokens", "Tokens", "k tokens", 0.002m, metric: "output_tokens", unitSize: 1000);
        await SaveAsync(page, "/admin/plans/details/");
        var components = page.Locator("table[aria-labelledby=components] tbody tr");
        Assert.Equal(2, await components.CountAsync());
        Assert.Contains("output_tokens", await components.Nth(1).InnerTextAsync());
        return IdFromUrl(page);
    }

    [Fact]
    public async Task OperatorSubscribesATenantAndTheKeyIssuedInTheBrowserCallsTheApi()
    {
        var page = await SignedInPageAsync();
        var tag = Seed.Unique("ui");

        await page.GotoAsync("/admin/categories/edit");
        await page.GetByLabel("Name").FillAsync($"Category {tag}");
        await page.GetByLabel("Slug").FillAsync($"cat-{tag}");
        await SaveAsync(page, "/admin/categories/details/");

        await page.GotoAsync("/admin/agents/edit");
        await page.GetByLabel("Category").SelectOptionAsync(new SelectOptionValue { Label = $"Category {tag}" });
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync($"Agent {tag}");
        var agentSlug = $"agent-{tag}";
        await page.GetByLabel("Slug").FillAsync(agentSlug);
        await page.GetByLabel("Description").FillAsync("Answers questions in the browser test");
        await SaveAsync(page, "/admin/agents/details/");
        var agentId = IdFromUrl(page);

        var starter = await AddPlanAsync(page, agentId, "Starter", 10m);
        await AddPlanAsync(page, agentId, "Pro", 50m);
        await page.GotoAsync($"/admin/agents/details/{agentId}");
        Assert.Equal(2, await page.Locator("table[aria-labelledby=plans] tbody tr").CountAsync());

        await page.GotoAsync("/admin/tenants/edit");
        await page.GetByLabel("Name").FillAsync($"Tenant {tag}");
        await page.GetByLabel("Slug").FillAsync($"tenant-{tag}");
        await page.GetByLabel("Email").FillAsync("owner@example.com");
        await SaveAsync(page, "/admin/tenants/details/");
        await page.GetByRole(AriaRole.Link, new() { Name = "Add project" }).ClickAsync();
        await page.GetByLabel("Name").FillAsync("Website");
        await SaveAsync(page, "/admin/projects/details/");
        await page.GetByRole(AriaRole.Link, new() { Name = "Subscribe to an agent" }).ClickAsync();
        await page.GetByLabel("Agent").SelectOptionAsync(new SelectOptionValue { Label = $"Agent {tag} ({agentSlug})" });
        await page.GetByLabel("Plan").SelectOptionAsync(starter);
        await SaveAsync(page, "/admin/accesses/details/");
        var accessUrl = new Uri(page.Url).AbsolutePath;
        Assert.Equal("active", await page.Locator("#access-state").InnerTextAsync());

        // State machine: only allowed transitions are offered, and each change lands in the history.
        Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = "Activate" }).CountAsync());
        await page.GetByRole(AriaRole.Button, new() { Name = "Suspend" }).ClickAsync();
        await Assertions.Expect(page.Locator("#access-state")).ToHaveTextAsync("suspended");
        await page.GetByRole(AriaRole.Button, new() { Name = "Resume" }).ClickAsync();
        await Assertions.Expect(page.Locator("#access-state")).ToHaveTextAsync("active");
        var history = page.Locator("table[aria-labelledby=history] tbody tr");
        Assert.Equal(3, await history.CountAsync());
        Assert.Contains("\"State\":", await history.First.InnerTextAsync());
        Assert.Contains(RegistryApp.AdminEmail, await history.First.InnerTextAsync());

        await page.GetByLabel("Key name").FillAsync("browser key");
        await page.GetByRole(AriaRole.Button, new() { Name = "Issue key" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Copy the key now" })).ToBeVisibleAsync();
        var key = (await page.Locator("#api-key-plaintext").InnerTextAsync()).Trim();
        Assert.StartsWith("ar_live_", key);

        using var client = App.WithKey(key);
        var models = await client.GetAsync("/v1/models");
        Assert.Equal(HttpStatusCode.OK, models.StatusCode);
        Assert.Contains($"\"id\":\"{agentSlug}\"", await models.Content.ReadAsStringAsync());

        // The plaintext is never shown again: not on the access page, not on the key's page.
        await page.GotoAsync(accessUrl);
        Assert.DoesNotContain(key, await page.ContentAsync());
        Assert.Contains("active", await page.Locator("table[aria-labelledby=keys] tbody tr").First.InnerTextAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Chromium.ScreenshotPath($"access-details-{Provider}.png"), FullPage = true });

        await page.GetByRole(AriaRole.Button, new() { Name = "Revoke key browser key", Exact = false }).ClickAsync();
        await page.WaitForURLAsync(new Regex(Regex.Escape(accessUrl) + "$"));
        Assert.Contains("revoked", await page.Locator("table[aria-labelledby=keys] tbody tr").First.InnerTextAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/v1/models")).StatusCode);

        await page.Locator("table[aria-labelledby=keys] a").First.ClickAsync();
        await Assertions.Expect(page.Locator("#key-status")).ToHaveTextAsync("revoked");
        Assert.Equal(2, await page.Locator("table[aria-labelledby=history] tbody tr").CountAsync());
        Assert.DoesNotContain(key, await page.ContentAsync());
    }

    [Fact]
    public async Task InvalidAndDuplicateSlugsAreShownNextToTheField()
    {
        var page = await SignedInPageAsync();
        var slugError = page.Locator("[data-valmsg-for='Form.Slug']");

        await page.GotoAsync("/admin/categories/edit");
        await page.GetByLabel("Name").FillAsync("Bad");
        await page.GetByLabel("Slug").FillAsync("Not A Slug");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(slugError).ToContainTextAsync("lowercase letters");
        Assert.EndsWith("/admin/categories/edit", page.Url);

        var slug = Seed.Unique("dup");
        await page.GetByLabel("Slug").FillAsync(slug);
        await SaveAsync(page, "/admin/categories/details/");

        await page.GotoAsync("/admin/categories/edit");
        await page.GetByLabel("Name").FillAsync("Second");
        await page.GetByLabel("Slug").FillAsync(slug);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(slugError).ToContainTextAsync("already exists");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("already exists");

        await page.GotoAsync($"/admin/categories?q={slug}");
        await Assertions.Expect(page.Locator("#list-count")).ToHaveTextAsync("Showing 1–1 of 1");
        Assert.Contains("Bad", await page.Locator("tbody").InnerTextAsync());
    }

    [Fact]
    public async Task ListsSearchAndPage()
    {
        var op = await Op();
        var tag = Seed.Unique("page");
        for (var i = 0; i < 27; i++)
            await op.PostJson("/api/v1/tenants", new { name = $"Paged {tag} {i:00}", slug = $"{tag}-{i:00}" }).Created();

        var page = await SignedInPageAsync();
        await page.GotoAsync("/admin/tenants");
        await page.GetByLabel("Search").FillAsync(tag.ToUpperInvariant());
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await Assertions.Expect(page.Locator("#list-count")).ToHaveTextAsync("Showing 1–25 of 27");
        Assert.Equal(25, await page.Locator("tbody tr").CountAsync());

        await page.GetByRole(AriaRole.Link, new() { Name = "Next ›" }).ClickAsync();
        await Assertions.Expect(page.Locator("#list-count")).ToHaveTextAsync("Showing 26–27 of 27");
        var rows = page.Locator("tbody tr");
        Assert.Equal(2, await rows.CountAsync());
        Assert.Contains($"Paged {tag} 26", await rows.Nth(1).InnerTextAsync());
        Assert.Equal(tag.ToUpperInvariant(), await page.GetByLabel("Search").InputValueAsync());
    }
}

public sealed class AdminBrowserOnSqlite(RegistryApp<Sqlite> app, Chromium chromium) : AdminBrowserTests(app, chromium), IClassFixture<RegistryApp<Sqlite>>
{
    protected override string Provider => "sqlite";
}

public sealed class AdminBrowserOnPostgres(RegistryApp<Postgres> app, Chromium chromium) : AdminBrowserTests(app, chromium), IClassFixture<RegistryApp<Postgres>>
{
    protected override string Provider => "postgres";
}
