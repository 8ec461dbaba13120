using System.Net;
using System.Text.RegularExpressions;
using AgentRegistry.Tests.Infrastructure;
using AgentRegistry.Tests.Knowledge;
using AgentRegistry.Tests.Portal;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace AgentRegistry.Tests.Security;

/// <summary>
/// The pages of the matrix: every page of the portal and the admin, called by strangers. Anonymous people are sent to
/// sign in, a member of another tenant gets 404 for this tenant's ids on every portal page (reading and posting a
/// form), and only operators reach the admin. A portal page missing from <see cref="PortalPages"/> fails the test.
/// </summary>
public abstract partial class AuthorizationMatrixTests
{
    private enum PageKind { TenantHome, AccessPage }

    private static readonly Dictionary<string, PageKind> PortalPages = new(StringComparer.OrdinalIgnoreCase)
    {
        ["portal"] = PageKind.TenantHome,
        ["portal/accesses/{id}"] = PageKind.AccessPage,
        ["portal/accesses/{id}/persona"] = PageKind.AccessPage,
        ["portal/accesses/{id}/documents"] = PageKind.AccessPage,
        ["portal/accesses/{id}/test-questions"] = PageKind.AccessPage,
        ["portal/accesses/{id}/widgets"] = PageKind.AccessPage,
        ["portal/accesses/{id}/widgets/{widgetId}"] = PageKind.AccessPage,
        ["portal/accesses/{id}/keys"] = PageKind.AccessPage,
        ["portal/accesses/{id}/usage"] = PageKind.AccessPage,
        ["portal/accesses/{id}/conversations"] = PageKind.AccessPage,
        ["portal/accesses/{id}/conversations/{conversationId}"] = PageKind.AccessPage,
    };

    /// <summary>
    /// A subscribed tenant with something real behind every id a route or page takes (a key, a widget, a document, a
    /// conversation), so a stranger's 404 means isolation, not that nothing exists.
    /// </summary>
    private sealed record Victim(Seeded Seeded, string KeyId, string WidgetId, string DocumentId, string ConversationId, string QuestionId);

    private async Task<Victim> VictimAsync(HttpClient op)
    {
        var a = await op.SubscribedTenantAsync();
        var keyId = (await op.PostJson($"/api/v1/accesses/{a.AccessId}/api-keys", new { name = "victim" }).Created())["api_key"]!.Id();
        var widget = await op.PostJson($"/api/v1/accesses/{a.AccessId}/widgets", new { name = "w", allowed_origins = new[] { "https://a.example" } }).Created();
        var document = await op.UploadAsync($"/api/v1/accesses/{a.AccessId}/documents", "Refunds take five days."u8.ToArray(), "victim.txt", "text/plain").Created();
        var question = await op.PostJson($"/api/v1/accesses/{a.AccessId}/test-questions", new { question = "How long do refunds take?", expected_answer = "five days" }).Created();
        var answer = await App.WithKey(await op.IssueKeyAsync(a.AccessId, "chat")).PostJson("/api/v1/chat", new { message = "hello" }).Json200();
        // The chat key's last use is written now, not by the background flush in the middle of a before/after comparison.
        await App.Services.GetRequiredService<AgentRegistry.Access.ApiKeyUsageTracker>().FlushAsync(TestContext.Current.CancellationToken);
        return new Victim(a, keyId, widget.Id(), document.Id(), (string)answer["conversation_id"]!, question.Id());
    }

    private static string FillPage(string route, Victim v) => "/" + route.Replace("{id}", v.Seeded.AccessId)
        .Replace("{widgetId}", v.WidgetId).Replace("{conversationId}", v.ConversationId);

    /// <summary>Page routes under a prefix, constraints kept (e.g. <c>admin/webhooks/details/{id:long}</c>).</summary>
    private List<string> Pages(string prefix) => App.Services.GetRequiredService<EndpointDataSource>().Endpoints
        .OfType<RouteEndpoint>()
        .Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Mvc.RazorPages.PageActionDescriptor>() is not null)
        .Select(e => e.RoutePattern.RawText!.Trim('/'))
        .Where(r => r.Equals(prefix, StringComparison.OrdinalIgnoreCase) || r.StartsWith(prefix + "/", StringComparison.OrdinalIgnoreCase))
        .Distinct().ToList();

    private static string Bare(string route) => PageConstraint().Replace(route, "}");

    [Fact]
    public void EveryPortalPageIsInTheMatrix()
    {
        var missing = Pages("portal").Select(Bare).Where(r => !PortalPages.ContainsKey(r)).ToList();
        Assert.True(missing.Count == 0, "Portal pages without an authorization case: " + string.Join(", ", missing));
        Assert.Equal(PortalPages.Count, Pages("portal").Count);
    }

    [Fact]
    public async Task PortalPagesSendStrangersToSignInAndGiveAnotherTenantsMemberNotFound()
    {
        var op = await Op();
        var victim = await VictimAsync(op);
        var own = await App.MemberAsync(op, victim.Seeded.TenantId);
        var stranger = await App.MemberAsync(op, (await op.SubscribedTenantAsync()).TenantId);
        var strangersToken = await stranger.TokenAsync("/portal");
        var anonymous = App.Anonymous();

        foreach (var (route, kind) in PortalPages)
        {
            var url = FillPage(route, victim);
            var signIn = await anonymous.GetAsync(url);
            Assert.True(signIn.StatusCode == HttpStatusCode.Redirect && signIn.Headers.Location!.ToString().Contains("/login"),
                $"{url} answered {(int)signIn.StatusCode} to an anonymous caller");

            Assert.True((await own.GetAsync(url)).StatusCode == HttpStatusCode.OK, $"{url} is not open to its own tenant's member");

            var read = await stranger.GetAsync(url);
            var body = await read.Content.ReadAsStringAsync();
            if (kind == PageKind.TenantHome)
            {
                Assert.Equal(HttpStatusCode.OK, read.StatusCode);
                Assert.DoesNotContain(victim.Seeded.AccessId, body);
                Assert.DoesNotContain(victim.Seeded.TenantId, body);
                continue;
            }
            Assert.True(read.StatusCode == HttpStatusCode.NotFound, $"{url} answered {(int)read.StatusCode} to a member of another tenant");
            Assert.DoesNotContain(victim.Seeded.TenantId, body);

            // Posting a form with a valid token of the stranger's own: still not found, and nothing changes.
            var posted = await stranger.PostAsync($"{url}?handler=Delete", new FormUrlEncodedContent(
                [new("__RequestVerificationToken", strangersToken), new("keyId", victim.KeyId), new("documentId", victim.DocumentId), new("widgetId", victim.WidgetId),
                    new("questionId", victim.QuestionId)]));
            Assert.True(posted.StatusCode == HttpStatusCode.NotFound, $"POST {url} answered {(int)posted.StatusCode} to a member of another tenant");
        }
        await op.GetAsync($"/api/v1/accesses/{victim.Seeded.AccessId}/widgets/{victim.WidgetId}").Json200();
        await op.GetAsync($"/api/v1/accesses/{victim.Seeded.AccessId}/documents/{victim.DocumentId}").Json200();
        Assert.Contains((await op.GetAsync($"/api/v1/accesses/{victim.Seeded.AccessId}/test-questions").Json200()).AsArray(), q => q!.Id() == victim.QuestionId);
        Assert.Contains((await op.GetAsync($"/api/v1/accesses/{victim.Seeded.AccessId}/api-keys").Json200()).AsArray(), k => k!.Id() == victim.KeyId && k!["revoked_at"] is null);
    }

    [Fact]
    public async Task AdminPagesAreForOperatorsOnly()
    {
        var op = await Op();
        var member = await App.MemberAsync(op, (await op.SubscribedTenantAsync()).TenantId);
        var anonymous = App.Anonymous();
        var pages = Pages("admin");
        Assert.NotEmpty(pages);
        foreach (var route in pages)
        {
            var url = "/" + PageId().Replace(route, m => m.Groups["type"].Value == "long" ? "1" : Guid.NewGuid().ToString());
            foreach (var (who, client) in new[] { ("an anonymous caller", anonymous), ("a member", member) })
            {
                var response = await client.GetAsync(url);
                Assert.True(response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.ToString().Contains("/login"),
                    $"{url} answered {(int)response.StatusCode} to {who}");
            }
        }
    }

    [GeneratedRegex(":[a-z]+\\??}")]
    private static partial Regex PageConstraint();

    [GeneratedRegex("{[A-Za-z]+:(?<type>[a-z]+)\\??}")]
    private static partial Regex PageId();
}
