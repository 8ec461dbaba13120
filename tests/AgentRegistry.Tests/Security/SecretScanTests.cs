using System.Net;
using System.Security.Cryptography;
using System.Text;
using AgentRegistry.Infrastructure;
using AgentRegistry.Tests.Chat;
using AgentRegistry.Tests.Infrastructure;
using AgentRegistry.Tests.Waldur.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentRegistry.Tests.Security;

/// <summary>
/// Every secret the test configures or is handed (passwords, API keys, the widget identity secret, the webhook token,
/// the upstream key) is used the way the product uses it, with logging at its most verbose; then neither the captured
/// log nor the audit trail holds any of them.
/// </summary>
public abstract class SecretScanTests(RegistryApp app, SecretScanSetup setup) : RegistryTest(app)
{

    [Fact]
    public void WithoutACertificateTheRegistryWarnsAtStartThatItsKeyRingIsUnencrypted() =>
        Assert.Contains(setup.Log.Lines, l => l.StartsWith("Warning ", StringComparison.Ordinal)
            && l.Contains("Data Protection keys are stored UNENCRYPTED", StringComparison.Ordinal)
            && l.Contains(KeyRingProtection.CertificateSetting, StringComparison.Ordinal));

    [Fact]
    public async Task NoSecretTheTestConfiguredAppearsInTheLogsOrTheAuditTrail()
    {
        var secrets = new Dictionary<string, string>
        {
            ["operator password"] = App.AdminPassword,
            ["upstream key"] = setup.UpstreamKey,
            ["webhook token"] = setup.WebhookToken,
        };
        var op = await Op();

        // An agent relayed to the (fake) upstream, with the upstream key; a chat key used and rotated.
        var relay = await App.RelayAsync(op, setup.Upstream.V1, "relay-model");
        secrets["API key"] = relay.KeyText;
        await relay.Key.PostJson("/v1/chat/completions", new { model = relay.Seeded.AgentSlug, messages = new[] { new { role = "user", content = "Hello" } } }).Json200();
        Assert.Contains(setup.Upstream.Requests, r => r.Authorization == $"Bearer {setup.UpstreamKey}");
        var keys = (await op.GetAsync($"/api/v1/accesses/{relay.Seeded.AccessId}/api-keys").Json200()).AsArray();
        var rotated = await op.PostJson($"/api/v1/accesses/{relay.Seeded.AccessId}/api-keys/{keys[0]!.Id()}/rotate", new { overlap_hours = 0 }).Json200();
        secrets["rotated API key"] = (string)rotated["key"]!;
        await App.WithKey((string)rotated["key"]!).GetAsync("/v1/models").Json200();

        // A member: created with a password, signed in, a wrong password tried, the password changed.
        var email = $"{Seed.Unique("scan")}@test.local";
        secrets["member password"] = $"pw-{Guid.NewGuid():N}";
        await op.PostJson("/api/v1/accounts", new { email, role = "member", tenant_id = relay.Seeded.TenantId, password = secrets["member password"] }).Created();
        var member = await App.SignInAsync(email, secrets["member password"]);
        await Assert.ThrowsAsync<InvalidOperationException>(() => App.SignInAsync(email, secrets["member password"] + "x"));

        // A widget with an identity secret, set, used to verify a visitor, changed.
        secrets["widget identity secret"] = $"identity-{Guid.NewGuid():N}";
        var widget = await member.PostJson($"/api/v1/accesses/{relay.Seeded.AccessId}/widgets",
            new { name = "Shop", allowed_origins = new[] { "https://shop.scan.example" }, identity_secret = secrets["widget identity secret"] }).Created();
        var hash = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secrets["widget identity secret"]), "visitor-1"u8.ToArray()));
        var init = new HttpRequestMessage(HttpMethod.Get, $"/api/widget/v1/{(string)widget["key"]!}/init?user_id=visitor-1&user_hash={hash}");
        init.Headers.Add("Origin", "https://shop.scan.example");
        await App.Anonymous().SendAsync(init).Json200();
        secrets["second widget identity secret"] = $"identity-{Guid.NewGuid():N}";
        await member.PutJson($"/api/v1/accesses/{relay.Seeded.AccessId}/widgets/{widget.Id()}",
            new { name = "Shop", identity_secret = secrets["second widget identity secret"] }).Json200();

        // Webhooks: one with the token, one with a wrong token.
        foreach (var token in new[] { setup.WebhookToken, "not-the-token" })
        {
            var delivery = new HttpRequestMessage(HttpMethod.Post, "/webhooks/waldur/customer/")
            {
                Content = new StringContent("""{"event_type":"customer_update_succeeded","context":{"customer_uuid":"00000000000000000000000000000001"}}""", Encoding.UTF8, "application/json"),
            };
            delivery.Headers.Add("X-Webhook-Token", token);
            Assert.True((int)(await App.Anonymous().SendAsync(delivery)).StatusCode < 500);
        }

        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RegistryDb>();
        db.Caller.AsSystem();
        var audit = await db.AuditLogs.AsNoTracking().Select(a => a.Actor + " " + a.Action + " " + a.EntityType + " " + a.Changes).ToListAsync();
        var log = setup.Log.Lines.ToList();
        Assert.True(audit.Count > 10, "the journey left an audit trail to scan");
        Assert.True(log.Count > 100, "the journey left a log to scan");
        var found = secrets
            .SelectMany(s => log.Where(l => l.Contains(s.Value, StringComparison.Ordinal)).Select(l => $"{s.Key} in the log: {l}")
                .Concat(audit.Where(a => a.Contains(s.Value, StringComparison.Ordinal)).Select(a => $"{s.Key} in the audit trail: {a}")))
            .ToList();
        Assert.True(found.Count == 0, string.Join("\n", found.Take(5)));
    }
}

/// <summary>What the scan's registry has beside the database: a fake upstream, a webhook token, unique secrets, every log line.</summary>
public sealed class SecretScanSetup
{
    public FakeUpstream Upstream { get; } = new();
    public LogCapture Log { get; } = new();
    public string UpstreamKey { get; } = $"sk-scan-{Guid.NewGuid():N}";
    public string WebhookToken { get; } = $"whk-{Guid.NewGuid():N}";

    public void Configure(IDictionary<string, string?> settings)
    {
        settings["Llm:Endpoint"] = Upstream.V1;
        settings["Llm:ApiKey"] = UpstreamKey;
        settings["Waldur:Webhooks:Token"] = WebhookToken;
    }

    /// <summary>The capture hears every level from every category; the console keeps the suite's usual levels.</summary>
    public void ConfigureWebHost(IWebHostBuilder builder) => builder.ConfigureTestServices(s =>
    {
        s.AddSingleton<ILoggerProvider>(Log);
        s.AddLogging(b => b.AddFilter<LogCapture>(_ => true));
    });
}

public sealed class SecretScanRegistry<TDatabase> : RegistryApp<TDatabase> where TDatabase : TestDatabase, new()
{
    public SecretScanSetup Setup { get; } = new();
    protected override async Task<string?> StartSurroundingsAsync() { await Setup.Upstream.InitializeAsync(); return null; }
    protected override void Configure(IDictionary<string, string?> settings) => Setup.Configure(settings);
    protected override void ConfigureWebHost(IWebHostBuilder builder) { base.ConfigureWebHost(builder); Setup.ConfigureWebHost(builder); }
    protected override ValueTask StopSurroundingsAsync() => Setup.Upstream.DisposeAsync();
}

public sealed class SecretScanOnSqlite(SecretScanRegistry<Sqlite> app) : SecretScanTests(app, app.Setup), IClassFixture<SecretScanRegistry<Sqlite>>;

public sealed class SecretScanOnPostgres(SecretScanRegistry<Postgres> app) : SecretScanTests(app, app.Setup), IClassFixture<SecretScanRegistry<Postgres>>;
