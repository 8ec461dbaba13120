using AgentRegistry.Infrastructure;
using AgentRegistry.Tests.Infrastructure;
using Microsoft.Playwright;

namespace AgentRegistry.Tests.Security;

/// <summary>
/// The admin and the portal work under the registry's own header policy (no test-only policy added): a real Chromium
/// reports no Content-Security-Policy violation on any page, and the pages' scripts still run.
/// </summary>
public abstract class ContentSecurityPolicyBrowserTests : RegistryTest
{
    private readonly Chromium _chromium;

    protected ContentSecurityPolicyBrowserTests(RegistryApp app, Chromium chromium) : base(app)
    {
        chromium.RequireAvailable();
        _chromium = chromium;
    }

    [Fact]
    public async Task AdminAndPortalPagesReportNoPolicyViolationAndTheirScriptsRun()
    {
        var op = await Op();
        var seeded = await op.SubscribedTenantAsync();
        var widget = await op.PostJson($"/api/v1/accesses/{seeded.AccessId}/widgets", new { name = "Shop", allowed_origins = new[] { "https://shop.example" } }).Created();

        var page = await _chromium.NewPageAsync(App.BaseAddress);
        await page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"], new() { Origin = App.BaseAddress.GetLeftPart(UriPartial.Authority) });
        await page.AddInitScriptAsync("""
            window.__csp = [];
            document.addEventListener('securitypolicyviolation',
              e => window.__csp.push(`${e.violatedDirective} ${e.blockedURI || 'inline'} at ${e.sourceFile || location.pathname}:${e.lineNumber}`), true);
            """);
        var policies = new List<(string Url, string? Policy)>();
        page.Response += (_, r) => { if (r.Request.ResourceType == "document") policies.Add((r.Url, r.Headers.GetValueOrDefault("content-security-policy"))); };

        await page.GotoAsync("/login");
        await page.GetByLabel("Email").FillAsync(RegistryApp.AdminEmail);
        await page.GetByLabel("Password").FillAsync(App.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync("**/admin");

        var access = $"/portal/accesses/{seeded.AccessId}";
        string[] pages =
        [
            "/admin", "/admin/tenants", $"/admin/tenants/details/{seeded.TenantId}", "/admin/accounts", "/admin/accounts/edit", "/admin/agents",
            $"/admin/agents/details/{seeded.AgentId}", "/admin/widgets", $"/admin/widgets/details/{widget.Id()}", "/admin/audit",
            access, access + "/persona", access + "/documents", access + "/widgets", $"{access}/widgets/{widget.Id()}", access + "/keys",
            access + "/usage", access + "/conversations",
        ];
        foreach (var path in pages)
        {
            var response = await page.GotoAsync(path);
            Assert.True(response?.Ok == true, $"{path} answered {response?.Status}");
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            var violations = await page.EvaluateAsync<string[]>("() => window.__csp");
            Assert.True(violations.Length == 0, $"{path} broke the Content-Security-Policy: {string.Join("; ", violations)}");
        }
        Assert.All(policies, p => Assert.True(p.Policy == SecurityHeaders.PagePolicy, $"{p.Url} had policy '{p.Policy}'"));

        // Still on the widget's page: its script copies the snippet (portal.js ran under the policy).
        await page.GotoAsync($"{access}/widgets/{widget.Id()}");
        await page.Locator("#copy-snippet").ClickAsync();
        await Assertions.Expect(page.Locator(".copy-status")).Not.ToBeEmptyAsync();
        Assert.Empty(await page.EvaluateAsync<string[]>("() => window.__csp"));
    }
}

public sealed class ContentSecurityPolicyOnSqlite(RegistryApp<Sqlite> app, Chromium chromium) : ContentSecurityPolicyBrowserTests(app, chromium), IClassFixture<RegistryApp<Sqlite>>;

public sealed class ContentSecurityPolicyOnPostgres(RegistryApp<Postgres> app, Chromium chromium) : ContentSecurityPolicyBrowserTests(app, chromium), IClassFixture<RegistryApp<Postgres>>;
