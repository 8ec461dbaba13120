using System.Net;
using AgentRegistry.Infrastructure;
using AgentRegistry.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentRegistry.Tests.Security;

/// <summary>Password guessing at /login meets a back-off per account and per client address; a lock ends when the registry's clock says so, without waiting.</summary>
public abstract class LoginBackoffTests(RegistryApp app, ManualClock clock) : RegistryTest(app)
{
    internal static void Configure(IDictionary<string, string?> settings)
    {
        settings["Identity:LoginBackoff:FreeAttempts"] = "3";
        settings["Identity:LoginBackoff:AddressFreeAttempts"] = "8";
        settings["Identity:LoginBackoff:LockSeconds"] = "60";
    }

    private async Task<HttpResponseMessage> LoginAsync(string email, string password)
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = App.BaseAddress };
        var form = await client.GetStringAsync("/login");
        var token = RegistryApp.AntiforgeryToken().Match(form).Groups[1].Value;
        return await client.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = email, ["Password"] = password, ["__RequestVerificationToken"] = token,
        }));
    }

    private async Task<(string Email, string Password, string Id)> MemberAsync()
    {
        var op = await Op();
        var seeded = await op.SubscribedTenantAsync();
        var email = $"{Seed.Unique("guess")}@test.local";
        var password = $"pw-{Guid.NewGuid():N}";
        var account = await op.PostJson("/api/v1/accounts", new { email, role = "member", tenant_id = seeded.TenantId, password }).Created();
        return (email, password, account.Id());
    }

    private async Task<List<AuditLog>> LockEntriesAsync()
    {
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RegistryDb>();
        db.Caller.AsSystem();
        return await db.AuditLogs.AsNoTracking().Where(a => a.Action == "login-locked").ToListAsync();
    }

    [Fact]
    public async Task WrongPasswordsLockTheAccountAndTheRightOneWorksOnceTheLockEnds()
    {
        var (email, password, id) = await MemberAsync();
        try
        {
            for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.BadRequest, (await LoginAsync(email, "wrong-" + i)).StatusCode);
            var locked = await LoginAsync(email, password);
            Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
            Assert.Contains("Too many failed sign-ins", await locked.Content.ReadAsStringAsync());
            Assert.False(locked.Headers.Contains("Set-Cookie") && locked.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith("agentregistry=", StringComparison.Ordinal)));
            var entry = Assert.Single(await LockEntriesAsync(), a => a.EntityId == Guid.Parse(id));
            Assert.Contains(email, entry.Changes);

            clock.Advance(TimeSpan.FromSeconds(61));
            var signedIn = await LoginAsync(email, password);
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
            Assert.Contains(signedIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("agentregistry=", StringComparison.Ordinal));
        }
        finally { clock.Advance(TimeSpan.FromHours(3)); }
    }

    [Fact]
    public async Task AfterALockEachFurtherFailureDoublesItAndUnknownAccountsAnswerTheSame()
    {
        var (email, _, _) = await MemberAsync();
        var unknown = $"{Seed.Unique("nobody")}@test.local";
        try
        {
            var answers = new Dictionary<string, string>();
            foreach (var who in new[] { email, unknown })
            {
                for (var i = 0; i < 3; i++) await LoginAsync(who, "wrong");
                var locked = await LoginAsync(who, "wrong");
                Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
                answers[who] = Error(await locked.Content.ReadAsStringAsync());
                Assert.InRange((int)locked.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 58, 60);
            }
            Assert.Equal(answers[email], answers[unknown]);

            clock.Advance(TimeSpan.FromSeconds(61));
            Assert.Equal(HttpStatusCode.BadRequest, (await LoginAsync(email, "wrong again")).StatusCode);
            var longer = await LoginAsync(email, "wrong");
            Assert.Equal(HttpStatusCode.TooManyRequests, longer.StatusCode);
            Assert.InRange((int)longer.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 118, 120);
        }
        finally { clock.Advance(TimeSpan.FromHours(3)); }
    }

    [Fact]
    public async Task OneAddressGuessingManyAccountsIsLocked()
    {
        var (email, password, _) = await MemberAsync();
        try
        {
            for (var i = 0; i < 8; i++) await LoginAsync($"{Seed.Unique("spray")}@test.local", "Winter2026!");
            Assert.Equal(HttpStatusCode.TooManyRequests, (await LoginAsync(email, password)).StatusCode);
            Assert.Contains(await LockEntriesAsync(), a => a.Changes.Contains("\"locked\":\"address\"", StringComparison.Ordinal));
            clock.Advance(TimeSpan.FromSeconds(61));
            Assert.Equal(HttpStatusCode.Redirect, (await LoginAsync(email, password)).StatusCode);
        }
        finally { clock.Advance(TimeSpan.FromHours(3)); }
    }

    private static string Error(string html) =>
        System.Text.RegularExpressions.Regex.Match(html, "Too many failed sign-ins[^<]*").Value;
}

public sealed class BackoffRegistry<TDatabase> : RegistryApp<TDatabase> where TDatabase : TestDatabase, new()
{
    protected override void Configure(IDictionary<string, string?> settings) => LoginBackoffTests.Configure(settings);
}

public sealed class LoginBackoffOnSqlite(BackoffRegistry<Sqlite> app) : LoginBackoffTests(app, app.Clock), IClassFixture<BackoffRegistry<Sqlite>>;

public sealed class LoginBackoffOnPostgres(BackoffRegistry<Postgres> app) : LoginBackoffTests(app, app.Clock), IClassFixture<BackoffRegistry<Postgres>>;
