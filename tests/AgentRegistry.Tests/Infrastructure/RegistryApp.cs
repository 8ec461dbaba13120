using System.Net;
using System.Text.RegularExpressions;
using AgentRegistry.Infrastructure;
using AgentRegistry.Infrastructure.Scheduling;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace AgentRegistry.Tests.Infrastructure;

/// <summary>
/// The registry running on Kestrel on a loopback port (real HTTP), on a database of its own (<see cref="TestDatabase"/>).
/// Tests are written once against this base; <see cref="RegistryApp{TDatabase}"/> and the scenarios derived from it take
/// the provider as a type parameter, and each suite runs on both (<c>...OnSqlite</c>, <c>...OnPostgres</c>).
/// </summary>
public abstract partial class RegistryApp(TestDatabase database) : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string AdminEmail = "admin@test.local";
    public string AdminPassword { get; } = $"pw-{Guid.NewGuid():N}";
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The registry's <see cref="TimeProvider"/>: system time unless a test moves or stops it.</summary>
    public ManualClock Clock { get; } = new();

    /// <summary>Why this app cannot run here (e.g. no PostgreSQL); null when it can.</summary>
    public string? Unavailable { get; private set; }

    public TestDatabase Database { get; } = database;

    /// <summary>Starts what the registry talks to (an emulated Waldur, an issuer, an upstream); why it cannot run here, or null.</summary>
    protected virtual Task<string?> StartSurroundingsAsync() => Task.FromResult<string?>(null);

    /// <summary>Runs on the new database before the registry starts on it.</summary>
    protected virtual Task PrepareDatabaseAsync(string connection) => Task.CompletedTask;

    protected virtual void Configure(IDictionary<string, string?> settings) { }

    /// <summary>Stops what <see cref="StartSurroundingsAsync"/> started, after the registry stopped and its database is gone.</summary>
    protected virtual ValueTask StopSurroundingsAsync() => ValueTask.CompletedTask;

    private IScheduler? _scheduler;

    public async ValueTask InitializeAsync()
    {
        Unavailable = await StartSurroundingsAsync();
        if (Unavailable is not null) return;
        (var connection, Unavailable) = await Database.CreateAsync();
        if (Unavailable is not null) return;
        await PrepareDatabaseAsync(connection!);
        var settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = Database.Provider.ToString(),
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
        _scheduler = Services.GetRequiredService<SchedulerHost>().Scheduler;
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

    /// <summary>
    /// Stops the registry, then drops its database, then stops its surroundings, in that order even when the host's stop
    /// fails. The scheduler is down before the database goes: its PostgreSQL cluster manager and misfire handler are
    /// foreground threads that would otherwise go on checking in to a dropped database and hold the test process open.
    /// </summary>
    public override async ValueTask DisposeAsync()
    {
        try
        {
            await base.DisposeAsync();
        }
        finally
        {
            if (_scheduler is not null) await SchedulerDownAsync(_scheduler);
            await Database.DropAsync();
            await StopSurroundingsAsync();
            GC.SuppressFinalize(this);
        }
    }

    /// <summary>Waits (a bounded while) until the scheduler is down, shutting it down if its host did not.</summary>
    private static async Task SchedulerDownAsync(IScheduler scheduler)
    {
        if (scheduler.Status is not (SchedulerStatus.ShuttingDown or SchedulerStatus.Shutdown))
            await scheduler.Shutdown(waitForJobsToComplete: false);
        var deadline = Deadline.In(TimeSpan.FromMinutes(1));
        while (scheduler.Status != SchedulerStatus.Shutdown)
        {
            if (deadline.Passed) throw new InvalidOperationException("The registry's scheduler is still shutting down a minute after its host stopped.");
            await Task.Delay(50);
        }
    }
}

/// <summary>The registry on <typeparamref name="TDatabase"/> with the suites' usual settings.</summary>
public class RegistryApp<TDatabase>() : RegistryApp(new TDatabase()) where TDatabase : TestDatabase, new();
