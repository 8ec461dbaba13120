using AgentRegistry.Widget;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using AgentRegistry.Infrastructure;
using AgentRegistry.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentRegistry.Tests.Security;

/// <summary>
/// What a database reader finds: a widget's identity secret sealed (and never in the audit trail), and, with a
/// certificate configured, a Data Protection key ring they cannot use to forge sessions or visitor tokens.
/// </summary>
public abstract class SecretsAtRestTests(RegistryApp app) : RegistryTest(app)
{
    private const string Shop = "https://shop.secret.example";

    private async Task<T> ReadAsync<T>(Func<RegistryDb, Task<T>> read)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RegistryDb>();
        db.Caller.AsSystem();
        return await read(db);
    }

    private Task<HttpResponseMessage> InitAsync(string widgetKey, string userId, string secret)
    {
        var hash = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(userId)));
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/widget/v1/{widgetKey}/init?user_id={userId}&user_hash={hash}");
        request.Headers.Add("Origin", Shop);
        return App.Anonymous().SendAsync(request);
    }

    [Fact]
    public async Task TheWidgetIdentitySecretIsSealedAtRestAndNeverInTheAuditTrail()
    {
        var op = await Op();
        var seeded = await op.SubscribedTenantAsync();
        var member = await App.MemberAsync(op, seeded.TenantId);
        var first = $"first-secret-{Guid.NewGuid():N}";
        var widget = await member.PostJson($"/api/v1/accesses/{seeded.AccessId}/widgets",
            new { name = "Shop", allowed_origins = new[] { Shop }, identity_secret = first }).Created();
        var id = Guid.Parse(widget.Id());
        Assert.True((bool)widget["identity_verification"]!);

        var stored = await ReadAsync(db => db.Widgets.Where(w => w.Id == id).Select(w => w.IdentitySecret).SingleAsync());
        Assert.NotNull(stored);
        Assert.DoesNotContain(first, stored);
        // Sealed, and still what verifies visitors.
        await InitAsync((string)widget["key"]!, "customer-7", first).Json200();
        Assert.Equal(HttpStatusCode.Unauthorized, (await InitAsync((string)widget["key"]!, "customer-7", "a wrong secret of enough length")).StatusCode);

        var second = $"second-secret-{Guid.NewGuid():N}";
        await member.PutJson($"/api/v1/accesses/{seeded.AccessId}/widgets/{id}",
            new { name = "Shop", allowed_origins = new[] { Shop }, identity_secret = second }).Json200();
        await InitAsync((string)widget["key"]!, "customer-7", second).Json200();
        Assert.Equal(HttpStatusCode.Unauthorized, (await InitAsync((string)widget["key"]!, "customer-7", first)).StatusCode);

        var audit = await ReadAsync(db => db.AuditLogs.Where(a => a.EntityId == id).Select(a => a.Changes).ToListAsync());
        Assert.NotEmpty(audit);
        Assert.All(audit, changes =>
        {
            Assert.DoesNotContain(first, changes);
            Assert.DoesNotContain(second, changes);
            Assert.DoesNotContain("IdentitySecret", changes);
        });
    }
}

public sealed class SecretsAtRestOnSqlite(RegistryApp<Sqlite> app) : SecretsAtRestTests(app), IClassFixture<RegistryApp<Sqlite>>;

public sealed class SecretsAtRestOnPostgres(RegistryApp<Postgres> app) : SecretsAtRestTests(app), IClassFixture<RegistryApp<Postgres>>;

/// <summary>The Data Protection key ring stored encrypted to the configured certificate, and still usable.</summary>
public abstract class KeyRingTests(RegistryApp app) : RegistryTest(app)
{
    [Fact]
    public async Task WithACertificateConfiguredTheStoredKeyRingIsEncrypted()
    {
        // Signing in makes the registry protect a cookie, so its key ring has a key; the session works.
        var op = await Op();
        await op.GetAsync("/api/v1/me").Json200();
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RegistryDb>();
        db.Caller.AsSystem();
        var keys = await db.DataProtectionKeys.Select(k => k.Xml).ToListAsync();
        Assert.NotEmpty(keys);
        Assert.All(keys, xml =>
        {
            Assert.Contains("EncryptedData", xml);
            Assert.Contains("EncryptedXmlDecryptor", xml);
            Assert.DoesNotContain("<value>", xml);
            Assert.DoesNotContain("unencrypted form", xml);
        });
    }
}

/// <summary>A registry whose key ring is protected by a throwaway certificate made for the test.</summary>
public static class KeyRingCertificate
{
    public static void Configure(IDictionary<string, string?> settings, string path, string password)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=agentregistry key ring test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2099, 12, 31, 0, 0, 0, TimeSpan.Zero));
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12, password));
        settings[KeyRingProtection.CertificateSetting] = path;
        settings[KeyRingProtection.PasswordSetting] = password;
    }
}

public sealed class KeyRingRegistry<TDatabase> : RegistryApp<TDatabase> where TDatabase : TestDatabase, new()
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"agentregistry-keyring-{Guid.NewGuid():N}.pfx");
    protected override void Configure(IDictionary<string, string?> settings) => KeyRingCertificate.Configure(settings, _path, $"pw-{Guid.NewGuid():N}");
    protected override ValueTask StopSurroundingsAsync()
    {
        File.Delete(_path);
        return ValueTask.CompletedTask;
    }
}

public sealed class KeyRingOnSqlite(KeyRingRegistry<Sqlite> app) : KeyRingTests(app), IClassFixture<KeyRingRegistry<Sqlite>>;

public sealed class KeyRingOnPostgres(KeyRingRegistry<Postgres> app) : KeyRingTests(app), IClassFixture<KeyRingRegistry<Postgres>>;
