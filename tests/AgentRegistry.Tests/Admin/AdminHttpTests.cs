using AgentRegistry.Access;
using System.Net;
using AgentRegistry.Infrastructure;
using AgentRegistry.Metering;
using AgentRegistry.Tests.Infrastructure;
using AgentRegistry.Tests.Knowledge;
using AgentRegistry.Waldur;
using Microsoft.Extensions.DependencyInjection;

namespace AgentRegistry.Tests.Admin;

/// <summary>The admin over plain HTTP: who may reach it, CSRF protection, and every page rendering on each provider.</summary>
public abstract class AdminHttpTests(RegistryApp app) : RegistryTest(app)
{
    [Theory]
    [InlineData("/admin")]
    [InlineData("/admin/accesses")]
    [InlineData("/admin/categories/edit")]
    public async Task AnonymousVisitorIsSentToLogin(string path)
    {
        var response = await App.Anonymous().GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/login", response.Headers.Location!.AbsolutePath);
        Assert.Contains($"ReturnUrl={Uri.EscapeDataString(path)}", response.Headers.Location.Query);
    }

    [Fact]
    public async Task TenantMemberIsTurnedAwayFromTheAdmin()
    {
        var op = await Op();
        var seeded = await op.SubscribedTenantAsync();
        var member = await App.MemberAsync(op, seeded.TenantId);

        foreach (var path in new[] { "/admin", "/admin/tenants", $"/admin/accesses/details/{seeded.AccessId}", "/admin/reconciliation" })
        {
            var response = await member.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal("/login", response.Headers.Location!.AbsolutePath);
        }
        var post = await member.PostAsync($"/admin/accesses/details/{seeded.AccessId}?handler=Move",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["state"] = "Terminated" }));
        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        Assert.Equal("/login", post.Headers.Location!.AbsolutePath);
        Assert.Equal("active", (string?)(await op.GetAsync($"/api/v1/accesses/{seeded.AccessId}").Json200())["state"]);
    }

    [Fact]
    public async Task PostWithoutAntiforgeryTokenIsRejectedAndWritesNothing()
    {
        var op = await Op();
        var slug = Seed.Unique("csrf");
        var response = await op.PostAsync("/admin/categories/edit",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["Form.Name"] = "Forged", ["Form.Slug"] = slug }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty((await op.GetAsync($"/api/v1/categories?search={slug}").Json200()).Items());

        var seeded = await op.SubscribedTenantAsync();
        var move = await op.PostAsync($"/admin/accesses/details/{seeded.AccessId}?handler=Move",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["state"] = "Terminated" }));
        Assert.Equal(HttpStatusCode.BadRequest, move.StatusCode);
        Assert.Equal("active", (string?)(await op.GetAsync($"/api/v1/accesses/{seeded.AccessId}").Json200())["state"]);
    }

    [Fact]
    public async Task FormPostWithTokenCreatesAndDuplicateSlugChangesNothing()
    {
        var op = await Op();
        var slug = Seed.Unique("form");
        var token = await TokenAsync(op, "/admin/categories/edit");
        var created = await op.PostAsync("/admin/categories/edit", Form(token, ("Form.Name", "Via form"), ("Form.Slug", slug)));
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.StartsWith("/admin/categories/details/", created.Headers.Location!.OriginalString);

        var duplicate = await op.PostAsync("/admin/categories/edit", Form(token, ("Form.Name", "Again"), ("Form.Slug", slug)));
        Assert.Equal(HttpStatusCode.OK, duplicate.StatusCode);
        Assert.Contains("already exists", await duplicate.Content.ReadAsStringAsync());
        Assert.Single((await op.GetAsync($"/api/v1/categories?search={slug}").Json200()).Items());
    }

    [Fact]
    public async Task UserTextIsHtmlEncoded()
    {
        var op = await Op();
        var slug = Seed.Unique("xss");
        await op.PostJson("/api/v1/categories", new { name = "<script>alert('x')</script>", slug }).Created();
        var html = await op.GetStringAsync($"/admin/categories?q={slug}");
        Assert.Contains("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;", html);
        Assert.DoesNotContain("<script>alert", html);
    }

    [Fact]
    public async Task EveryAdminPageRendersWithData()
    {
        StopClockAt(TestDates.MonthEnd);
        var op = await Op();
        var seeded = await op.SubscribedTenantAsync();
        var key = await op.IssueKeyAsync(seeded.AccessId);
        var keyId = (string)(await op.GetAsync($"/api/v1/accesses/{seeded.AccessId}/api-keys").Json200())[0]!["id"]!;
        await op.PutJson($"/api/v1/accesses/{seeded.AccessId}/configuration", new { display_name = "Helper" }).Json200();
        var member = $"{Seed.Unique("m")}@test.local";
        var accountId = (await op.PostJson("/api/v1/accounts", new { email = member, role = "member", tenant_id = seeded.TenantId, password = "a-long-password-1" }).Created()).Id();
        var (usageId, dailyId, quotaId, webhookId, auditId, configId) = await WriteOperationalRowsAsync(Guid.Parse(seeded.AccessId), Guid.Parse(seeded.TenantId));
        Assert.NotEmpty(key);
        var widgetId = (await op.PostJson($"/api/v1/accesses/{seeded.AccessId}/widgets", new { name = "Shop", allowed_origins = new[] { "https://shop.example.com" } }).Created()).Id();
        var conversationId = (string)(await App.WithKey(key).PostJson("/api/v1/chat", new { message = "hello" }).Json200())["conversation_id"]!;
        var documentId = (await Training.UploadAsync(op, $"/api/v1/accesses/{seeded.AccessId}/documents", "Refunds take five days."u8.ToArray(), "faq.txt").Created()).Id();
        var reportId = await WriteUsageReportAsync(Guid.Parse(seeded.AccessId), Guid.Parse(seeded.TenantId));

        string[] pages =
        [
            "/admin", "/admin/categories", "/admin/agents", "/admin/plans", "/admin/tenants", "/admin/projects", "/admin/accounts",
            "/admin/accesses", "/admin/apikeys", "/admin/configurations", "/admin/usage", "/admin/dailyusage", "/admin/quotas",
            "/admin/webhooks", "/admin/audit", "/admin/reconciliation", "/admin/reconciliation?month=2026-01&differences=true",
            $"/admin/agents?category={seeded.CategoryId}&active=true&q=helpdesk", $"/admin/plans?agent={seeded.AgentId}",
            $"/admin/projects?tenant={seeded.TenantId}", $"/admin/accounts?role=member&tenant={seeded.TenantId}",
            $"/admin/accesses?state=Active&tenant={seeded.TenantId}&agent={seeded.AgentId}&q=help",
            $"/admin/apikeys?status=active&tenant={seeded.TenantId}", "/admin/apikeys?status=revoked", "/admin/apikeys?status=expired",
            "/admin/usage?metric=messages&q=evt", "/admin/dailyusage?metric=messages", "/admin/quotas?metric=messages",
            "/admin/webhooks?status=Failed&endpoint=order&q=order", $"/admin/audit?entity=AgentAccess&action=created&id={seeded.AccessId}",
            $"/admin/categories/details/{seeded.CategoryId}", $"/admin/agents/details/{seeded.AgentId}", $"/admin/plans/details/{seeded.PlanId}",
            $"/admin/tenants/details/{seeded.TenantId}", $"/admin/projects/details/{seeded.ProjectId}", $"/admin/accounts/details/{accountId}",
            $"/admin/accesses/details/{seeded.AccessId}", $"/admin/apikeys/details/{keyId}", $"/admin/configurations/details/{configId}",
            $"/admin/usage/details/{usageId}", $"/admin/dailyusage/details/{dailyId}", $"/admin/quotas/details/{quotaId}",
            $"/admin/webhooks/details/{webhookId}", $"/admin/audit/details/{auditId}",
            $"/admin/categories/edit/{seeded.CategoryId}", "/admin/agents/edit", $"/admin/agents/edit/{seeded.AgentId}",
            $"/admin/plans/edit?agentId={seeded.AgentId}", $"/admin/plans/edit/{seeded.PlanId}", $"/admin/tenants/edit/{seeded.TenantId}",
            $"/admin/projects/edit?tenantId={seeded.TenantId}", $"/admin/projects/edit/{seeded.ProjectId}", "/admin/accesses/edit",
            $"/admin/accesses/edit/{seeded.AccessId}", "/admin/accounts/edit", $"/admin/accounts/edit/{accountId}",
            $"/admin/apikeys/issue/{seeded.AccessId}", $"/admin/apikeys/rotate/{keyId}",
            "/admin/widgets", $"/admin/widgets?tenant={seeded.TenantId}&enabled=true&q=shop", $"/admin/widgets/details/{widgetId}",
            "/admin/documents", "/admin/documents?status=Failed&q=faq", $"/admin/documents/details/{documentId}",
            "/admin/conversations", $"/admin/conversations?source=api&tenant={seeded.TenantId}", $"/admin/conversations/details/{conversationId}",
            "/admin/usagereports", "/admin/usagereports?outcome=Rejected&q=messages", $"/admin/usagereports/details/{reportId}",
            "/admin/orders", "/admin/orders?state=failed",
        ];
        foreach (var path in pages)
        {
            var response = await op.GetAsync(path);
            var html = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {html[..Math.Min(500, html.Length)]}");
            Assert.Contains("Sign out", html);
        }

        Assert.Contains("Helpdesk", await op.GetStringAsync($"/admin/accesses?tenant={seeded.TenantId}"));
        Assert.Contains("order.created", await op.GetStringAsync("/admin/webhooks?status=Failed"));
        Assert.Contains($"evt-{usageId}", await op.GetStringAsync($"/admin/usage?access={seeded.AccessId}"));
        Assert.Equal(HttpStatusCode.NotFound, (await op.GetAsync($"/admin/accesses/details/{Guid.NewGuid()}")).StatusCode);
        Assert.Contains("https://shop.example.com", await op.GetStringAsync($"/admin/widgets?tenant={seeded.TenantId}"));
        Assert.Contains("faq", await op.GetStringAsync($"/admin/documents?tenant={seeded.TenantId}"));
        Assert.Contains("hello", await op.GetStringAsync($"/admin/conversations/details/{conversationId}"));
        Assert.Contains("Waldur answered 422", await op.GetStringAsync("/admin/usagereports?outcome=Rejected"));
    }

    [Fact]
    public async Task OperatorSetsAMembersPasswordAndTheMemberSignsInWithIt()
    {
        var op = await Op();
        var seeded = await op.SubscribedTenantAsync();
        var email = $"{Seed.Unique("pw")}@test.local";
        var token = await TokenAsync(op, "/admin/accounts/edit");
        var created = await op.PostAsync("/admin/accounts/edit", Form(token, ("Form.Email", email), ("Form.Role", "member"),
            ("Form.TenantId", seeded.TenantId), ("Form.Password", "first-password-123")));
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var editUrl = created.Headers.Location!.OriginalString.Replace("/details/", "/edit/");

        var shortPassword = await op.PostAsync(editUrl, Form(token, ("Form.Email", email), ("Form.Role", "member"),
            ("Form.TenantId", seeded.TenantId), ("Form.Password", "short")));
        Assert.Contains("Use at least 12 characters.", await shortPassword.Content.ReadAsStringAsync());
        var changed = await op.PostAsync(editUrl, Form(token, ("Form.Email", email), ("Form.Role", "member"),
            ("Form.TenantId", seeded.TenantId), ("Form.Password", "second-password-456")));
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);

        await Assert.ThrowsAsync<InvalidOperationException>(() => App.SignInAsync(email, "first-password-123"));
        var member = await App.SignInAsync(email, "second-password-456");
        (await member.GetAsync("/api/v1/me")).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task RotatingAKeyShowsTheSuccessorOnceAndEndsTheOldKeyAfterTheOverlap()
    {
        var op = await Op();
        var seeded = await op.SubscribedTenantAsync();
        var old = await op.IssueKeyAsync(seeded.AccessId);
        var keyId = (string)(await op.GetAsync($"/api/v1/accesses/{seeded.AccessId}/api-keys").Json200())[0]!["id"]!;
        var token = await TokenAsync(op, $"/admin/apikeys/rotate/{keyId}");

        var rotated = await op.PostAsync($"/admin/apikeys/rotate/{keyId}", Form(token, ("OverlapHours", "0")));
        var html = await rotated.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        Assert.True(rotated.Headers.CacheControl?.NoStore);
        var successor = System.Text.RegularExpressions.Regex.Match(html, "id=\"api-key-plaintext\">(ar_live_[A-Za-z0-9]+)<").Groups[1].Value;
        Assert.StartsWith("ar_live_", successor);

        Assert.Equal(HttpStatusCode.Unauthorized, (await App.WithKey(old).GetAsync("/v1/models")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await App.WithKey(successor).GetAsync("/v1/models")).StatusCode);
        Assert.DoesNotContain(successor, await op.GetStringAsync($"/admin/accesses/details/{seeded.AccessId}"));
    }

    [Fact]
    public async Task TransitionTheStateMachineRefusesIsAConflictAndChangesNothing()
    {
        var op = await Op();
        var seeded = await op.SubscribedTenantAsync();
        var path = $"/admin/accesses/details/{seeded.AccessId}";
        var token = await TokenAsync(op, path);

        var refused = await op.PostAsync($"{path}?handler=Move", Form(token, ("state", "Provisioning")));
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("cannot become provisioning", await refused.Content.ReadAsStringAsync());

        var terminated = await op.PostAsync($"{path}?handler=Move", Form(token, ("state", "Terminated")));
        Assert.Equal(HttpStatusCode.Redirect, terminated.StatusCode);
        var page = await op.GetStringAsync(path);
        Assert.DoesNotContain(">Resume<", page);
        Assert.DoesNotContain("Issue key", page);
        Assert.Equal("terminated", (string?)(await op.GetAsync($"/api/v1/accesses/{seeded.AccessId}").Json200())["state"]);
    }

    private async Task<(long Usage, long Daily, long Quota, long Webhook, long Audit, Guid Config)> WriteOperationalRowsAsync(Guid accessId, Guid tenantId)
    {
        // No public route writes these rows yet; they are written as the registry's own jobs would.
        await using var scope = App.Services.GetRequiredService<IServiceScopeFactory>().CreateSystemScope("test");
        var db = scope.ServiceProvider.GetRequiredService<RegistryDb>();
        var agentId = db.Accesses.Where(a => a.Id == accessId).Select(a => a.AgentId).First();
        var usage = new UsageRecord { TenantId = tenantId, AccessId = accessId, AgentId = agentId, Metric = Metrics.Messages, Quantity = 3,
            OccurredAt = App.Clock.UtcNow, IdempotencyKey = Seed.Unique("pending") };
        var daily = new DailyUsageSummary { TenantId = tenantId, AccessId = accessId, Metric = Metrics.Messages, Day = DateOnly.FromDateTime(App.Clock.UtcNow), Quantity = 3 };
        var quota = new TenantQuotaSnapshot { TenantId = tenantId, AccessId = accessId, Metric = Metrics.Messages,
            Period = TestDates.MonthOf(App.Clock.UtcNow), Used = 3, Limit = 1000 };
        var webhook = new WebhookEvent { Endpoint = "order", EventType = "order.created", DedupeKey = Guid.NewGuid().ToString("N"),
            Payload = "{\"uuid\":\"x\"}", Status = WebhookEventStatus.Failed, LastError = "Waldur answered 503" };
        db.AddRange(usage, daily, quota, webhook);
        await db.SaveChangesAsync();
        usage.IdempotencyKey = $"evt-{usage.Id}";
        await db.SaveChangesAsync();
        var audit = db.AuditLogs.Where(a => a.EntityId == accessId).Select(a => a.Id).First();
        var config = db.CustomerConfigurations.Where(c => c.AccessId == accessId).Select(c => c.Id).First();
        return (usage.Id, daily.Id, quota.Id, webhook.Id, audit, config);
    }

    private async Task<long> WriteUsageReportAsync(Guid accessId, Guid tenantId)
    {
        await using var scope = App.Services.GetRequiredService<IServiceScopeFactory>().CreateSystemScope("test");
        var db = scope.ServiceProvider.GetRequiredService<RegistryDb>();
        var report = new AgentRegistry.Waldur.Reporting.WaldurUsageReport
        {
            TenantId = tenantId, AccessId = accessId, ResourceUuid = Guid.NewGuid(), ComponentType = "messages", Period = new DateOnly(2026, 11, 1),
            Amount = 3m, RawQuantity = 3, Outcome = AgentRegistry.Waldur.Reporting.UsageReportOutcome.Rejected, StatusCode = 422,
            Answer = "Waldur answered 422: resource is not OK", AttemptedAt = new DateTime(2026, 11, 20, 8, 0, 0, DateTimeKind.Utc),
        };
        db.UsageReports.Add(report);
        await db.SaveChangesAsync();
        return report.Id;
    }

    private static async Task<string> TokenAsync(HttpClient client, string path) =>
        RegistryApp.AntiforgeryToken().Match(await client.GetStringAsync(path)).Groups[1].Value;

    private static FormUrlEncodedContent Form(string token, params (string Key, string Value)[] fields) =>
        new(fields.Select(f => KeyValuePair.Create(f.Key, f.Value)).Append(KeyValuePair.Create("__RequestVerificationToken", token)));
}

public sealed class AdminHttpOnSqlite(RegistryApp<Sqlite> app) : AdminHttpTests(app), IClassFixture<RegistryApp<Sqlite>>;

public sealed class AdminHttpOnPostgres(RegistryApp<Postgres> app) : AdminHttpTests(app), IClassFixture<RegistryApp<Postgres>>;
