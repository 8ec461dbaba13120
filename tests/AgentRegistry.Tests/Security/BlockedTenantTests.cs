using AgentRegistry.Access;
using AgentRegistry.Chat;
using AgentRegistry.Tenancy;
using System.Net;
using AgentRegistry.Infrastructure;
using AgentRegistry.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentRegistry.Tests.Security;

/// <summary>
/// A blocked tenant (by an operator, or by Waldur) and a project that is removed or past its end date serve nobody:
/// no chat through their keys, no widget, no new keys; members see why in the portal.
/// </summary>
public abstract class BlockedTenantTests(RegistryApp app) : RegistryTest(app)
{
    private const string Shop = "https://shop.blocked.example";

    private sealed record Serving(Seeded Seeded, string Key, string WidgetKey, HttpClient Member);

    private async Task<Serving> ServingAsync()
    {
        var op = await Op();
        var seeded = await op.SubscribedTenantAsync();
        var member = await App.MemberAsync(op, seeded.TenantId);
        var key = await member.IssueKeyAsync(seeded.AccessId);
        var widget = await member.PostJson($"/api/v1/accesses/{seeded.AccessId}/widgets", new { name = "Shop", allowed_origins = new[] { Shop } }).Created();
        var serving = new Serving(seeded, key, (string)widget["key"]!, member);
        // Working, and the key's grant now cached: the stop must reach the cache too.
        await App.WithKey(key).GetAsync("/v1/models").Json200();
        await App.WithKey(key).PostJson("/api/v1/chat", new { message = "Hello" }).Json200();
        Assert.Equal(HttpStatusCode.OK, (await InitAsync(serving)).StatusCode);
        return serving;
    }

    private Task<HttpResponseMessage> InitAsync(Serving s)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/widget/v1/{s.WidgetKey}/init");
        request.Headers.Add("Origin", Shop);
        return App.Anonymous().SendAsync(request);
    }

    private async Task<int> CountAsync(Func<RegistryDb, Task<int>> count)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RegistryDb>();
        db.Caller.AsSystem();
        return await count(db);
    }

    private async Task AssertStoppedAsync(Serving s, string kind)
    {
        var conversations = await CountAsync(db => db.Conversations.CountAsync());
        await App.WithKey(s.Key).GetAsync("/v1/models").Problem(401, kind);
        await App.WithKey(s.Key).PostJson("/api/v1/chat", new { message = "Still there?" }).Problem(401, kind);
        Assert.Equal(conversations, await CountAsync(db => db.Conversations.CountAsync()));
        var init = await InitAsync(s);
        Assert.Equal(HttpStatusCode.NotFound, init.StatusCode);
        Assert.DoesNotContain("visitor_token", await init.Content.ReadAsStringAsync());
        var keys = await CountAsync(db => db.ApiKeys.CountAsync(k => k.AccessId == Guid.Parse(s.Seeded.AccessId)));
        await s.Member.PostJson($"/api/v1/accesses/{s.Seeded.AccessId}/api-keys", new { name = "new" }).Problem(409, kind);
        Assert.Equal(keys, await CountAsync(db => db.ApiKeys.CountAsync(k => k.AccessId == Guid.Parse(s.Seeded.AccessId))));
    }

    [Fact]
    public async Task ABlockedTenantGetsNoChatNoWidgetNoNewKeysAndItsMembersSeeWhy()
    {
        var s = await ServingAsync();
        var op = await Op();
        var tenant = await op.GetAsync($"/api/v1/tenants/{s.Seeded.TenantId}").Json200();
        await op.PutJson($"/api/v1/tenants/{s.Seeded.TenantId}", new { name = (string)tenant["name"]!, slug = (string)tenant["slug"]!, is_blocked = true }).Json200();

        await AssertStoppedAsync(s, "tenant-blocked");
        var portal = await s.Member.GetStringAsync($"/portal/accesses/{s.Seeded.AccessId}");
        Assert.Contains("id=\"service-stopped\"", portal);
        Assert.Contains("organisation of this subscription is blocked", portal);

        // Unblocked, everything works again.
        await op.PutJson($"/api/v1/tenants/{s.Seeded.TenantId}", new { name = (string)tenant["name"]!, slug = (string)tenant["slug"]!, is_blocked = false }).Json200();
        await App.WithKey(s.Key).GetAsync("/v1/models").Json200();
        Assert.Equal(HttpStatusCode.OK, (await InitAsync(s)).StatusCode);
        Assert.DoesNotContain("id=\"service-stopped\"", await s.Member.GetStringAsync($"/portal/accesses/{s.Seeded.AccessId}"));
    }

    [Fact]
    public async Task AProjectPastItsEndDateStopsItsAccesses()
    {
        var now = StopClockAt(TestDates.MonthStart);
        var s = await ServingAsync();
        var ended = DateOnly.FromDateTime(now).AddDays(-2);
        await (await Op()).PutJson($"/api/v1/tenants/{s.Seeded.TenantId}/projects/{s.Seeded.ProjectId}",
            new { name = "Website", end_date = ended.ToString("yyyy-MM-dd") }).Json200();

        await AssertStoppedAsync(s, "project-ended");
        Assert.Contains($"ended on {ended:yyyy-MM-dd}", await s.Member.GetStringAsync($"/portal/accesses/{s.Seeded.AccessId}"));
    }

    [Fact]
    public async Task AProjectRemovedInWaldurStopsItsAccesses()
    {
        var s = await ServingAsync();
        // What the registry does when Waldur reports the project deleted (TenantMirror.ProjectDeletedAsync).
        await using (var scope = App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<RegistryDb>();
            db.Caller.AsSystem("waldur");
            var project = await db.Projects.SingleAsync(p => p.Id == Guid.Parse(s.Seeded.ProjectId));
            project.IsRemoved = true;
            await db.SaveChangesAsync();
        }
        await AssertStoppedAsync(s, "project-removed");
    }
}

public sealed class BlockedTenantsOnSqlite(RegistryApp<Sqlite> app) : BlockedTenantTests(app), IClassFixture<RegistryApp<Sqlite>>;

public sealed class BlockedTenantsOnPostgres(RegistryApp<Postgres> app) : BlockedTenantTests(app), IClassFixture<RegistryApp<Postgres>>;
