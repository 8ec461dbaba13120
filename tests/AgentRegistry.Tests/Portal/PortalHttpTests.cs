using System.Net;
using System.Text;
using AgentRegistry.Tests.Infrastructure;
using AgentRegistry.Tests.Knowledge;

namespace AgentRegistry.Tests.Portal;

/// <summary>The portal over HTTP: who lands where, tenants one at a time, and bad input refused with nothing changed.</summary>
public abstract class PortalHttpTests(RegistryApp app) : RegistryTest(app)
{
    private static string Portal(Seeded s, string section = "") => $"/portal/accesses/{s.AccessId}{section}";

    [Fact]
    public async Task RootSendsOperatorsToTheAdminMembersToThePortalAndOthersToSignIn()
    {
        var op = await Op();
        var member = await App.MemberAsync(op, (await op.SubscribedTenantAsync()).TenantId);
        Assert.Equal("/admin", (await op.GetAsync("/")).Headers.Location?.OriginalString);
        Assert.Equal("/portal", (await member.GetAsync("/")).Headers.Location?.OriginalString);
        Assert.Equal("/login", (await App.Anonymous().GetAsync("/")).Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task MemberOfTwoTenantsSwitchesBetweenThemAndNothingMixes()
    {
        var op = await Op();
        var a = await op.SubscribedTenantAsync();
        var b = await op.SubscribedTenantAsync();
        var c = await op.SubscribedTenantAsync();
        var email = $"{Seed.Unique("both")}@test.local";
        var password = $"pw-{Guid.NewGuid():N}";
        var account = await op.PostJson("/api/v1/accounts", new { email, role = "member", tenant_id = a.TenantId, tenant_ids = new[] { b.TenantId }, password }).Created();
        Assert.Equal([a.TenantId, b.TenantId], account["tenant_ids"]!.AsArray().Select(t => (string)t!));
        var member = await App.SignInAsync(email, password);
        Assert.Equal([a.TenantId, b.TenantId], (await member.GetAsync("/api/v1/me").Json200())["tenant_ids"]!.AsArray().Select(t => (string)t!));

        // The home tenant first: its accesses only, in the portal and in the API the portal's cookie reaches.
        await AssertSeesOnlyAsync(member, a, b);

        // The switcher changes tenant; nothing of the other one shows.
        Assert.Equal(HttpStatusCode.Redirect, (await member.PostFormAsync("/portal", "Switch", [new("tenant", b.TenantId)])).StatusCode);
        await AssertSeesOnlyAsync(member, b, a);

        // A link into the other tenant (as from Waldur) opens it and switches to it.
        Assert.Equal(HttpStatusCode.OK, (await member.GetAsync(Portal(a))).StatusCode);
        await AssertSeesOnlyAsync(member, a, b);

        // A tenant the member does not belong to: not found, and still in the same tenant.
        Assert.Equal(HttpStatusCode.NotFound, (await member.PostFormAsync("/portal", "Switch", [new("tenant", c.TenantId)])).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await member.GetAsync(Portal(c))).StatusCode);
        await AssertSeesOnlyAsync(member, a, c);

        // API clients choose per request.
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/accesses");
        request.Headers.Add("X-Tenant-Id", b.TenantId);
        var body = await (await member.SendAsync(request)).Content.ReadAsStringAsync();
        Assert.Contains(b.AccessId, body);
        Assert.DoesNotContain(a.AccessId, body);
    }

    private static async Task AssertSeesOnlyAsync(HttpClient member, Seeded mine, Seeded other)
    {
        var portal = await member.GetStringAsync("/portal");
        Assert.Contains(mine.AccessId, portal);
        Assert.DoesNotContain(other.AccessId, portal);
        var api = await member.GetStringAsync("/api/v1/accesses");
        Assert.Contains(mine.AccessId, api);
        Assert.DoesNotContain(other.AccessId, api);
    }

    [Fact]
    public async Task OperatorOpensATenantsPortalUnderABannerAndSeesOnlyThatTenant()
    {
        var op = await Op();
        var a = await op.SubscribedTenantAsync();
        var b = await op.SubscribedTenantAsync();
        var tenant = await op.GetAsync($"/api/v1/tenants/{a.TenantId}").Json200();
        await op.PutJson($"/api/v1/tenants/{a.TenantId}", new { name = "Operated Ltd", slug = (string)tenant["slug"]! }).Json200();

        Assert.Equal(HttpStatusCode.Redirect, (await op.PostFormAsync("/portal", "Switch", [new("tenant", a.TenantId)])).StatusCode);
        var portal = await op.GetStringAsync("/portal");
        Assert.Contains("id=\"operator-banner\"", portal);
        Assert.Contains("Operated Ltd", portal);
        Assert.Contains(a.AccessId, portal);
        Assert.DoesNotContain(b.AccessId, portal);

        var other = await op.GetAsync(Portal(b, "/keys"));
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        var html = await other.Content.ReadAsStringAsync();
        Assert.Contains("id=\"operator-banner\"", html);
        Assert.DoesNotContain(a.AccessId, html);
    }

    [Fact]
    public async Task ForgedFormPostsFailTheAntiforgeryCheckAndChangeNothing()
    {
        var op = await Op();
        var a = await op.SubscribedTenantAsync();
        var member = await App.MemberAsync(op, a.TenantId);
        var otherMember = await App.MemberAsync(op, a.TenantId);
        var foreignToken = await otherMember.TokenAsync(Portal(a, "/keys"));

        var persona = await member.PostFormAsync(Portal(a, "/persona"), null, [new("Form.DisplayName", "forged")], token: "");
        Assert.Equal(HttpStatusCode.BadRequest, persona.StatusCode);
        var key = await member.PostFormAsync(Portal(a, "/keys"), null, [new("Form.Name", "forged"), new("Form.Scopes", "chat")], token: foreignToken);
        Assert.Equal(HttpStatusCode.BadRequest, key.StatusCode);
        var rollback = await member.PostFormAsync(Portal(a, "/persona"), "Rollback", [new("version", "1")], token: "not-a-token");
        Assert.Equal(HttpStatusCode.BadRequest, rollback.StatusCode);

        Assert.Equal(0, (await op.GetAsync($"/api/v1/accesses/{a.AccessId}/configuration").Json200())["version"]!.GetValue<int>());
        Assert.Empty((await op.GetAsync($"/api/v1/accesses/{a.AccessId}/api-keys").Json200()).AsArray());

        // The same forms with their own tokens go through.
        Assert.Equal(HttpStatusCode.Redirect, (await member.PostFormAsync(Portal(a, "/persona"), null, [new("Form.DisplayName", "genuine")])).StatusCode);
        Assert.Equal("genuine", (string?)(await op.GetAsync($"/api/v1/accesses/{a.AccessId}/configuration").Json200())["display_name"]);
    }

    [Fact]
    public async Task UploadOfAWrongTypeOrOverTheLimitShowsTheReasonAndStoresNothing()
    {
        var op = await Op();
        var a = await op.SubscribedTenantAsync();
        var member = await App.MemberAsync(op, a.TenantId);
        var page = Portal(a, "/documents");
        byte[] program = [0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0xff, 0xff, 0x00, 0x00, 0xb8, 0x00];
        var tooLarge = Encoding.UTF8.GetBytes(new string('a', 1_100_000)); // the test registry's limit is 1 MiB

        var plain = await member.UploadFormAsync(page, ("tool.exe", program), ("huge.txt", tooLarge));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, plain.StatusCode);
        var html = await plain.Content.ReadAsStringAsync();
        Assert.Contains("id=\"upload-errors\"", html);
        Assert.Contains("tool.exe: ", html);
        Assert.Contains("huge.txt: The upload is larger than the limit of 1048576 bytes.", html);

        var scriptedLarge = await member.UploadScriptedAsync(page, "huge.txt", tooLarge);
        await Task.FromResult(scriptedLarge).Problem(413, "document-too-large");
        var scriptedWrong = await member.UploadScriptedAsync(page, "tool.exe", program);
        var problem = await Task.FromResult(scriptedWrong).Problem(422);
        Assert.StartsWith("/problems/document-", (string?)problem["type"]);

        Assert.Equal(0, (await op.GetAsync($"/api/v1/accesses/{a.AccessId}/documents").Json200())["total"]!.GetValue<int>());

        // A readable file through the same form is stored.
        var ok = await member.UploadFormAsync(page, ("faq.txt", Encoding.UTF8.GetBytes("Refunds take five working days.")));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(1, (await op.GetAsync($"/api/v1/accesses/{a.AccessId}/documents").Json200())["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task MarkupInPersonaAndWidgetFieldsIsShownAsTextEverywhere()
    {
        var op = await Op();
        var t = await App.TenantAsync(op);
        var a = t.Seeded;
        const string name = "<script>alert('name')</script>";
        const string title = "<img src=x onerror=alert('title')>";

        Assert.Equal(HttpStatusCode.Redirect, (await t.Member.PostFormAsync(Portal(a, "/persona"), null,
            [new("Form.DisplayName", name), new("Form.WelcomeMessage", title), new("Form.AnswerLength", "short")])).StatusCode);
        var created = await t.Member.PostFormAsync(Portal(a, "/widgets"), null,
            [new("Form.Name", name), new("Form.Title", title), new("Form.AllowedOrigins", "https://shop.example.com"), new("Form.PrimaryColor", "#2563eb"),
             new("Form.Position", "right"), new("Form.LauncherIcon", "chat"), new("Form.Radius", "12"), new("Form.Enabled", "true")]);
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var widgetPage = created.Headers.Location!.OriginalString.Split('?')[0];
        await t.AskAsync(title);

        var conversations = (await t.Member.GetAsync($"/api/v1/accesses/{a.AccessId}/conversations").Json200()).Items();
        foreach (var (client, page) in new[]
        {
            (t.Member, Portal(a, "/persona")), (t.Member, Portal(a, "/widgets")), (t.Member, widgetPage),
            (t.Member, Portal(a, "/conversations")), (t.Member, Portal(a, $"/conversations/{conversations[0]!.Id()}")),
            (op, $"/admin/widgets/details/{widgetPage.Split('/')[^1]}"), (op, $"/admin/conversations/details/{conversations[0]!.Id()}"),
        })
        {
            var html = await client.GetStringAsync(page);
            Assert.DoesNotContain("<script>alert(", html);
            Assert.DoesNotContain("<img src=x", html);
            Assert.True(html.Contains("&lt;script&gt;alert(") || html.Contains("&lt;img src=x onerror=alert("), $"{page} does not show the markup as text");
        }
    }

    [Fact]
    public async Task ServicesRefusalsAreShownBesideTheFieldAndStoreNothing()
    {
        var op = await Op();
        var a = await op.SubscribedTenantAsync();
        var member = await App.MemberAsync(op, a.TenantId);

        var widget = await member.PostFormAsync(Portal(a, "/widgets"), null,
            [new("Form.Name", "Shop"), new("Form.AllowedOrigins", "https://shop.example.com\nshop.example.com/path"), new("Form.PrimaryColor", "#2563eb")]);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, widget.StatusCode);
        Assert.Contains("Line 2: Use an absolute http(s) origin", await widget.Content.ReadAsStringAsync());
        var contrast = await member.PostFormAsync(Portal(a, "/widgets"), null,
            [new("Form.Name", "Shop"), new("Form.PrimaryColor", "#ffd700"), new("Form.TextColor", "#ffffff")]);
        Assert.Contains("WCAG 2.2 AA needs at least 4.5:1", await contrast.Content.ReadAsStringAsync());
        Assert.Empty((await op.GetAsync($"/api/v1/accesses/{a.AccessId}/widgets").Json200()).AsArray());

        var key = await member.PostFormAsync(Portal(a, "/keys"), null, [new("Form.Name", "old"), new("Form.Scopes", "chat"), new("Form.ValidUntil", "2020-01-01")]);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, key.StatusCode);
        var html = await key.Content.ReadAsStringAsync();
        Assert.Contains("data-valmsg-for=\"Form.ValidUntil\"", html);
        Assert.Contains("The expiry must be in the future.", html);
        Assert.Empty((await op.GetAsync($"/api/v1/accesses/{a.AccessId}/api-keys").Json200()).AsArray());
    }

    [Fact]
    public async Task ConversationsApiListsNewestFirstSearchesAndShowsTheCitedPassages()
    {
        var op = await Op();
        var t = await App.TenantAsync(op);
        await t.TrainAsync(Encoding.UTF8.GetBytes("Our support hotline is open from 8 am to 6 pm, Monday to Friday."), "hours.txt");
        var first = await t.AskAsync("When is the hotline open?");
        await t.AskAsync("And on Fridays?", (string)first["conversation_id"]!);
        var second = await t.AskAsync("Do you answer on Mondays?");
        var url = $"/api/v1/accesses/{t.Seeded.AccessId}/conversations";

        var list = await t.Member.GetAsync(url).Json200();
        Assert.Equal(2, list["total"]!.GetValue<int>());
        Assert.Equal((string)second["conversation_id"]!, list.Items()[0]!.Id());
        Assert.Equal(4, list.Items()[1]!["message_count"]!.GetValue<int>());
        Assert.Equal("api", (string?)list.Items()[1]!["source"]);
        var found = await t.Member.GetAsync($"{url}?search=fridays").Json200();
        Assert.Equal((string)first["conversation_id"]!, Assert.Single(found.Items())!.Id());

        var transcript = await t.Member.GetAsync($"{url}/{first["conversation_id"]}").Json200();
        var messages = transcript["messages"]!.AsArray();
        Assert.Equal(["user", "assistant", "user", "assistant"], messages.Select(m => (string)m!["role"]!));
        var cited = messages[1]!["citations"]!.AsArray();
        Assert.Contains("8 am to 6 pm", (string?)cited[0]!["excerpt"]);
        Assert.Equal("hours", (string?)cited[0]!["title"]);

        var stranger = await App.MemberAsync(op, (await op.SubscribedTenantAsync()).TenantId);
        await stranger.GetAsync(url).Problem(404);
        await stranger.GetAsync($"{url}/{first["conversation_id"]}").Problem(404);
    }
}

public sealed class PortalHttpOnSqlite(RegistryApp<Sqlite> app) : PortalHttpTests(app), IClassFixture<RegistryApp<Sqlite>>;

public sealed class PortalHttpOnPostgres(RegistryApp<Postgres> app) : PortalHttpTests(app), IClassFixture<RegistryApp<Postgres>>;
