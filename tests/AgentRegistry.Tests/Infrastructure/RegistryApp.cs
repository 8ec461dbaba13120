using System.Net;
using System.Text.RegularExpressions;
using AgentRegistry.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace AgentRegistry.Tests.Infrastructure;

/// <summary>
/// The registry running on Kestrel on a loopback port (real HTTP), on a database of its own.
/// Subclasses choose the provider; tests are written once against this base and run on both.
/// </summary>
public abstract partial class RegistryApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string AdminEmail = "admin@test.local";
    public string AdminPassword { get; } = $"pw-{Guid.NewGuid():N}";
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The registry's <see cref="TimeProvider"/>: system time unless a test moves or stops it.</summary>
    public ManualClock Clock { get; } = new();

    /// <summary>Why this app cannot run here (e.g. no PostgreSQL); null when it can.</summary>
    public string? Unavailable { get; protected set; }

    protected abstract DatabaseProvider Provider { get; }
    protected abstract Task<string?> PrepareDatabaseAsync();
    protected virtual void Configure(IDictionary<string, string?> settings) { }

    public async ValueTask InitializeAsync()
    {
        var connection = await PrepareDatabaseAsync();
        if (Unavailable is not null) return;
        var settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = Provider.ToString(),
            ["Database:ConnectionString"] = connection,
            ["Database:MigrateAtStartup"] = "true",
            ["Identity:BootstrapAdminEmail"] = AdminEmail,
            ["Identity:BootstrapAdminPassword"] = AdminPassword,
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Error",
            ["Knowledge:PollInterval"] = "00:00:00.250",
            ["Llm:TimeoutSeconds"] = "3",
            ["Llm:MaxRetries"] = "0",
            ["Llm:ApiKey"] = "sk-test-upstream",
            ["Knowledge:MaxUploadBytes"] = "1048576",
            // Most suites post webhooks without a token; WebhookProtectionTests covers the refusal of unprotected ones.
            ["Waldur:Webhooks:AllowUnprotected"] = "true",
        };
        Configure(settings);
        _settings = settings;
        UseKestrel(0);
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseAddress = new Uri(addresses.First().Replace("[::]", "127.0.0.1").Replace("localhost", "127.0.0.1"));
    }

    private Dictionary<string, string?> _settings = [];

    /// <summary>The configuration the app runs with, e.g. to run a CLI command against the same database.</summary>
    public IReadOnlyDictionary<string, string?> Settings => _settings;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        builder.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(Clock));
    }

    /// <summary>Skips the calling test with the reason, or fails it under CI=true where every suite must run.</summary>
    public void RequireAvailable()
    {
        if (Unavailable is not null) Requirement.Missing(Unavailable);
    }

    /// <summary>A client with no credentials.</summary>
    public HttpClient Anonymous() => new(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = BaseAddress };

    /// <summary>A client signed in through the real login form.</summary>
    public Task<HttpClient> SignInAsync(string email, string password) => SignInAsync(BaseAddress, email, password);

    /// <summary>A client signed in through the login form of the registry at <paramref name="baseAddress"/>.</summary>
    public static async Task<HttpClient> SignInAsync(Uri baseAddress, string email, string password)
    {
        var cookies = new CookieContainer();
        var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = baseAddress };
        var form = await client.GetStringAsync("/login");
        var token = AntiforgeryToken().Match(form).Groups[1].Value;
        var response = await client.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = email, ["Password"] = password, ["__RequestVerificationToken"] = token,
        }));
        if (response.StatusCode != HttpStatusCode.Redirect)
            throw new InvalidOperationException($"Sign-in of {email} failed: {(int)response.StatusCode}");
        return client;
    }

    public Task<HttpClient> OperatorAsync() => SignInAsync(AdminEmail, AdminPassword);

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    internal static partial Regex AntiforgeryToken();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await CleanupDatabaseAsync();
        GC.SuppressFinalize(this);
    }

    protected virtual Task CleanupDatabaseAsync() => Task.CompletedTask;
}

public class SqliteRegistry : RegistryApp
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"agentregistry-test-{Guid.NewGuid():N}.db");
    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;
    protected override Task<string?> PrepareDatabaseAsync() => Task.FromResult<string?>($"Data Source={_file}");

    protected override Task CleanupDatabaseAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
            if (File.Exists(_file + suffix)) File.Delete(_file + suffix);
        return Task.CompletedTask;
    }
}

public class PostgresRegistry : RegistryApp
{
    private string? _database;
    protected override DatabaseProvider Provider => DatabaseProvider.Postgres;

    protected override async Task<string?> PrepareDatabaseAsync()
    {
        (_database, Unavailable) = await PostgresServer.CreateDatabaseAsync();
        return _database is null ? null : PostgresServer.ConnectionString(_database);
    }

    protected override Task CleanupDatabaseAsync() => _database is null ? Task.CompletedTask : PostgresServer.DropDatabaseAsync(_database);
}
