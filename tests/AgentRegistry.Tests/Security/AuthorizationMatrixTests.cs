using System.Net.Http.Json;
using System.Text.RegularExpressions;
using AgentRegistry.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace AgentRegistry.Tests.Security;

/// <summary>
/// Every route of the API, called by strangers: anonymous callers, a member of another tenant, and an API key
/// of another tenant. A route missing from <see cref="Matrix"/> fails the test, so no new route escapes the check.
/// </summary>
public abstract partial class AuthorizationMatrixTests(RegistryApp app) : RegistryTest(app)
{
    /// <summary>Self: the caller acts on their own things (their personal access tokens), never on this tenant's.</summary>
    private enum Member { Denied, CatalogRead, OwnOnly, Self }

    private sealed record Case(Member ForOtherMember, Func<Seeded, string, object?>? Body = null);


    private static readonly Dictionary<string, Case> Matrix = new()
    {
        ["GET /api/v1/me"] = new(Member.OwnOnly),
        ["GET /api/v1/me/tokens"] = new(Member.OwnOnly),
        ["POST /api/v1/me/tokens"] = new(Member.Self, (_, _) => new { name = "matrix" }),
        ["DELETE /api/v1/me/tokens/{id}"] = new(Member.Denied),
        ["GET /api/v1/accounts"] = new(Member.Denied),
        ["POST /api/v1/accounts"] = new(Member.Denied, (s, _) => new { email = $"{Guid.NewGuid():N}@x.test", role = "member", tenant_id = s.TenantId, password = "long-enough-password" }),
        ["GET /api/v1/categories"] = new(Member.CatalogRead),
        ["GET /api/v1/categories/{id}"] = new(Member.CatalogRead),
        ["POST /api/v1/categories"] = new(Member.Denied, (_, _) => new { name = "x", slug = Seed.Unique("x") }),
        ["PUT /api/v1/categories/{id}"] = new(Member.Denied, (_, _) => new { name = "x", slug = Seed.Unique("x") }),
        ["DELETE /api/v1/categories/{id}"] = new(Member.Denied),
        ["GET /api/v1/agents"] = new(Member.CatalogRead),
        ["GET /api/v1/agents/{id}"] = new(Member.CatalogRead),
        ["POST /api/v1/agents"] = new(Member.Denied, (s, _) => new { category_id = s.CategoryId, name = "x", slug = Seed.Unique("x") }),
        ["PUT /api/v1/agents/{id}"] = new(Member.Denied, (s, _) => new { category_id = s.CategoryId, name = "x", slug = Seed.Unique("x") }),
        ["DELETE /api/v1/agents/{id}"] = new(Member.Denied),
        ["POST /api/v1/agents/{id}/publish"] = new(Member.Denied),
        ["GET /api/v1/agents/{agentId}/plans"] = new(Member.CatalogRead),
        ["GET /api/v1/agents/{agentId}/plans/{id}"] = new(Member.CatalogRead),
        ["POST /api/v1/agents/{agentId}/plans"] = new(Member.Denied, (_, _) => Seed.Plan(Seed.Unique("p"), 1m, 1)),
        ["PUT /api/v1/agents/{agentId}/plans/{id}"] = new(Member.Denied, (_, _) => Seed.Plan(Seed.Unique("p"), 1m, 1)),
        ["DELETE /api/v1/agents/{agentId}/plans/{id}"] = new(Member.Denied),
        ["GET /api/v1/tenants"] = new(Member.OwnOnly),
        ["GET /api/v1/tenants/{id}"] = new(Member.Denied),
        ["POST /api/v1/tenants"] = new(Member.Denied, (_, _) => new { name = "x", slug = Seed.Unique("x") }),
        ["PUT /api/v1/tenants/{id}"] = new(Member.Denied, (_, _) => new { name = "x", slug = Seed.Unique("x") }),
        ["GET /api/v1/tenants/{id}/projects"] = new(Member.Denied),
        ["GET /api/v1/tenants/{id}/projects/{projectId}"] = new(Member.Denied),
        ["POST /api/v1/tenants/{id}/projects"] = new(Member.Denied, (_, _) => new { name = "x" }),
        ["PUT /api/v1/tenants/{id}/projects/{projectId}"] = new(Member.Denied, (_, _) => new { name = "x" }),
        ["GET /api/v1/accesses"] = new(Member.OwnOnly),
        ["GET /api/v1/accesses/{id}"] = new(Member.Denied),
        ["POST /api/v1/accesses"] = new(Member.Denied, (s, _) => new { project_id = s.ProjectId, agent_id = s.AgentId, plan_id = s.PlanId }),
        ["PATCH /api/v1/accesses/{id}"] = new(Member.Denied, (_, _) => new { state = "suspended" }),
        ["GET /api/v1/accesses/{id}/api-keys"] = new(Member.Denied),
        ["POST /api/v1/accesses/{id}/api-keys"] = new(Member.Denied, (_, _) => new { name = "stolen" }),
        ["POST /api/v1/accesses/{id}/api-keys/{keyId}/rotate"] = new(Member.Denied, (_, _) => new { overlap_hours = 0 }),
        ["DELETE /api/v1/accesses/{id}/api-keys/{keyId}"] = new(Member.Denied),
        ["POST /api/v1/accesses/{id}/api-keys/{keyId}/reveal"] = new(Member.Denied),
        ["GET /api/v1/accesses/{id}/configuration"] = new(Member.Denied),
        ["PUT /api/v1/accesses/{id}/configuration"] = new(Member.Denied, (_, _) => new { display_name = "pwned" }),
        ["GET /api/v1/accesses/{id}/configuration/versions"] = new(Member.Denied),
        ["POST /api/v1/accesses/{id}/configuration/rollback"] = new(Member.Denied, (_, _) => new { version = 1 }),
        ["GET /api/v1/accesses/{id}/widgets"] = new(Member.Denied),
        ["POST /api/v1/accesses/{id}/widgets"] = new(Member.Denied, (_, _) => new { name = "stolen", allowed_origins = new[] { "https://evil.example" } }),
        ["GET /api/v1/accesses/{id}/widgets/{widgetId}"] = new(Member.Denied),
        ["PUT /api/v1/accesses/{id}/widgets/{widgetId}"] = new(Member.Denied, (_, _) => new { name = "pwned", allowed_origins = new[] { "https://evil.example" } }),
        ["DELETE /api/v1/accesses/{id}/widgets/{widgetId}"] = new(Member.Denied),
        ["GET /v1/models"] = new(Member.Denied),
        ["POST /api/v1/accesses/{id}/documents"] = new(Member.Denied),
        ["GET /api/v1/accesses/{id}/documents"] = new(Member.Denied),
        ["GET /api/v1/accesses/{id}/documents/{docId}"] = new(Member.Denied),
        ["DELETE /api/v1/accesses/{id}/documents/{docId}"] = new(Member.Denied),
        ["POST /api/v1/accesses/{id}/documents/{docId}/reindex"] = new(Member.Denied),
        ["POST /api/v1/accesses/{id}/retrieval-test"] = new(Member.Denied, (_, _) => new { query = "refund" }),
        ["GET /api/v1/accesses/{id}/test-questions"] = new(Member.Denied),
        ["POST /api/v1/accesses/{id}/test-questions"] = new(Member.Denied, (_, _) => new { question = "How long do refunds take?", expected_answer = "5 days" }),
        ["DELETE /api/v1/accesses/{id}/test-questions/{questionId}"] = new(Member.Denied),
        ["POST /api/v1/accesses/{id}/test-questions/run"] = new(Member.Denied),
        // A key of another tenant reaches its own agent only: the body names nothing of this tenant.
        ["POST /api/v1/chat"] = new(Member.Denied, (_, _) => new { message = "hello" }),
        ["GET /api/v1/accesses/{id}/conversations"] = new(Member.Denied),
        ["GET /api/v1/accesses/{id}/conversations/{conversationId}"] = new(Member.Denied),
        ["GET /api/v1/accesses/{id}/usage"] = new(Member.Denied),
        ["GET /api/v1/tenants/{id}/usage"] = new(Member.Denied),
        ["POST /api/v1/usage/events"] = new(Member.Denied, (_, _) => new { events = new[] { new { id = "matrix", metric = "messages", quantity = 1, occurred_at = TestDates.MonthEnd } } }),
        ["POST /v1/chat/completions"] = new(Member.Denied, (s, _) => new { model = s.AgentSlug, messages = new[] { new { role = "user", content = "hello" } } }),
    };

    /// <summary>Routes anyone may call; each protects itself in its own way (webhooks: WebhookSecurityTests) or has nothing to protect.</summary>
    // Widget routes: the public ones are protected by the widget's origin allowlist and a signed visitor token, the preview
    // page by sign-in and the tenant filter; all are tested in Widget/WidgetApiTests and Widget/WidgetBrowserTests.
    private static readonly string[] Public = ["/health/", "/openapi/", "/api-reference", "/login", "/webhooks/", "/widget.js", "/widget/", "/api/widget/"];

    [Fact]
    public void EveryRouteIsInTheMatrix()
    {
        var routes = Routes();
        var missing = routes.Where(r => !Matrix.ContainsKey(r)).ToList();
        Assert.True(missing.Count == 0, "Routes without an authorization case: " + string.Join(", ", missing));
        var gone = Matrix.Keys.Where(r => !routes.Contains(r)).ToList();
        Assert.True(gone.Count == 0, "Cases of routes that no longer exist: " + string.Join(", ", gone));
    }

    /// <summary>The control of the other tests: the ids they send are real, so a stranger's 404 is isolation at work.</summary>
    [Fact]
    public async Task EveryIdTheMatrixSendsNamesSomethingThatExists()
    {
        var op = await Op();
        var victim = await VictimAsync(op);
        foreach (var route in Routes().Where(r => r.StartsWith("GET /api/", StringComparison.Ordinal)))
        {
            var url = Fill(route[4..], victim);
            Assert.DoesNotContain("{", url);
            var response = await op.GetAsync(url);
            Assert.True((int)response.StatusCode == 200, $"{url} answered {(int)response.StatusCode} to the operator");
        }
    }

    [Fact]
    public async Task AnonymousCallersGetNothing()
    {
        var op = await Op();
        var victim = await VictimAsync(op);
        var anonymous = App.Anonymous();
        foreach (var route in Routes())
        {
            var response = await Call(anonymous, route, victim);
            Assert.True((int)response.StatusCode == 401, $"{route} answered {(int)response.StatusCode} to an anonymous caller");
        }
    }

    [Fact]
    public async Task MemberOfAnotherTenantCannotReachOrChangeThisTenant()
    {
        var op = await Op();
        var victim = await VictimAsync(op);
        var a = victim.Seeded;
        var b = await op.SubscribedTenantAsync();
        var stranger = await App.MemberAsync(op, b.TenantId);
        var before = await Snapshot(op, victim);

        foreach (var route in Routes())
        {
            var response = await Call(stranger, route, victim);
            var status = (int)response.StatusCode;
            var body = (await response.Content.ReadAsStringAsync()).Replace(response.RequestMessage!.RequestUri!.AbsolutePath, "");
            switch (Matrix[route].ForOtherMember)
            {
                case Member.Denied:
                    Assert.True(status is 401 or 403 or 404, $"{route} answered {status} to a member of another tenant: {body}");
                    break;
                case Member.CatalogRead:
                    Assert.True(status == 200, $"{route} should let members read the catalog, answered {status}");
                    break;
                case Member.Self:
                    Assert.True(status is 200 or 201, $"{route} answered {status}");
                    Assert.DoesNotContain(a.TenantId, body);
                    break;
                case Member.OwnOnly:
                    Assert.True(status == 200, $"{route} answered {status}");
                    Assert.DoesNotContain(a.TenantId, body);
                    Assert.DoesNotContain(a.AccessId, body);
                    break;
            }
        }
        Assert.Equal(before, await Snapshot(op, victim));
    }

    [Fact]
    public async Task ApiKeyOfAnotherTenantCannotReachThisTenant()
    {
        var op = await Op();
        var victim = await VictimAsync(op);
        var a = victim.Seeded;
        var b = await op.SubscribedTenantAsync();
        var strangerKey = App.WithKey(await op.IssueKeyAsync(b.AccessId, "chat", "usage:write", "usage:read"));
        var before = await Snapshot(op, victim);

        foreach (var route in Routes())
        {
            var response = await Call(strangerKey, route, victim);
            // A problem's "instance" echoes the requested path, which holds the ids the caller sent.
            var body = (await response.Content.ReadAsStringAsync()).Replace(response.RequestMessage!.RequestUri!.AbsolutePath, "");
            Assert.DoesNotContain(a.AccessId, body);
            Assert.DoesNotContain(a.TenantId, body);
            if (Matrix[route].ForOtherMember != Member.OwnOnly || route.StartsWith("GET /api/", StringComparison.Ordinal))
                Assert.True((int)response.StatusCode is 200 or 401 or 403 or 404, $"{route} answered {(int)response.StatusCode}");
        }
        Assert.Equal(before, await Snapshot(op, victim));
    }

    private List<string> Routes() => App.Services.GetRequiredService<EndpointDataSource>().Endpoints
        .OfType<RouteEndpoint>()
        .Where(e => e.RoutePattern.RawText is { } raw && !Public.Any(p => ("/" + raw.TrimStart('/')).StartsWith(p, StringComparison.Ordinal)))
        // GET / only redirects (operator to /admin, member to /portal, anyone else to /login): PortalHttpTests.
        .Where(e => e.RoutePattern.RawText!.Trim('/').Length > 0)
        .Where(e => e.Metadata.GetMetadata<IHttpMethodMetadata>() is not null)
        .Where(e => !e.DisplayName!.StartsWith("Page:", StringComparison.Ordinal))
        .SelectMany(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods
            .Select(m => $"{m} /{Constraint().Replace(e.RoutePattern.RawText!.TrimStart('/').TrimEnd('/'), "}")}"))
        .Distinct()
        .ToList();

    private static async Task<HttpResponseMessage> Call(HttpClient client, string route, Victim v)
    {
        var (method, pattern) = (route[..route.IndexOf(' ')], route[(route.IndexOf(' ') + 1)..]);
        var url = Fill(pattern, v);
        var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (Matrix.TryGetValue(route, out var c) && c.Body is not null)
            request.Content = JsonContent.Create(c.Body(v.Seeded, v.KeyId), options: Api.Json);
        return await client.SendAsync(request);
    }

    /// <summary>The route with the victim's own ids, each of its own kind.</summary>
    private static string Fill(string pattern, Victim v)
    {
        var a = v.Seeded;
        var id = pattern.Split('/') switch
        {
            [_, "api", "v1", "tenants", ..] => a.TenantId,
            [_, "api", "v1", "accesses", ..] => a.AccessId,
            [_, "api", "v1", "categories", ..] => a.CategoryId,
            [_, "api", "v1", "agents", _, "plans", _] => a.PlanId,
            _ => a.AgentId,
        };
        return pattern.Replace("{id}", id).Replace("{agentId}", a.AgentId).Replace("{projectId}", a.ProjectId).Replace("{keyId}", v.KeyId)
            .Replace("{docId}", v.DocumentId).Replace("{widgetId}", v.WidgetId).Replace("{conversationId}", v.ConversationId)
            .Replace("{questionId}", v.QuestionId);
    }

    /// <summary>What tenant A has, as the operator sees it: any change by a stranger would show here (documents by id,
    /// as their processing moves on by itself).</summary>
    private static async Task<string> Snapshot(HttpClient op, Victim v) => await Snapshot(op, v.Seeded) + "\n" + string.Join(",",
        (await op.GetAsync($"/api/v1/accesses/{v.Seeded.AccessId}/documents").Json200()).Items().Select(d => d!.Id()).Order());

    private static async Task<string> Snapshot(HttpClient op, Seeded a) => string.Join("\n",
        (await op.GetAsync($"/api/v1/tenants/{a.TenantId}").Json200()).ToJsonString(),
        (await op.GetAsync($"/api/v1/tenants/{a.TenantId}/projects").Json200()).ToJsonString(),
        (await op.GetAsync($"/api/v1/accesses/{a.AccessId}").Json200()).ToJsonString(),
        (await op.GetAsync($"/api/v1/accesses/{a.AccessId}/api-keys").Json200()).ToJsonString(),
        (await op.GetAsync($"/api/v1/accesses/{a.AccessId}/configuration").Json200()).ToJsonString(),
        (await op.GetAsync($"/api/v1/accesses/{a.AccessId}/widgets").Json200()).ToJsonString(),
        (await op.GetAsync($"/api/v1/agents/{a.AgentId}").Json200()).ToJsonString(),
        (await op.GetAsync($"/api/v1/agents/{a.AgentId}/plans").Json200()).ToJsonString(),
        (await op.GetAsync($"/api/v1/categories/{a.CategoryId}").Json200()).ToJsonString());

    [GeneratedRegex(":[a-z]+}")]
    private static partial Regex Constraint();
}

public sealed class AuthorizationMatrixOnSqlite(RegistryApp<Sqlite> app) : AuthorizationMatrixTests(app), IClassFixture<RegistryApp<Sqlite>>;

public sealed class AuthorizationMatrixOnPostgres(RegistryApp<Postgres> app) : AuthorizationMatrixTests(app), IClassFixture<RegistryApp<Postgres>>;
