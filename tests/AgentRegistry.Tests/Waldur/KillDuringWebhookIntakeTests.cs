using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using AgentRegistry.Tests.Infrastructure;
using AgentRegistry.Tests.Operations;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace AgentRegistry.Tests.Waldur;

/// <summary>
/// The registry as its own process, killed with SIGKILL while Waldur delivers webhooks from several connections at
/// once: every delivery answered 202 is stored after the crash (stored before acknowledged), an unanswered one is
/// stored whole or not at all, and Waldur's redelivery of the unanswered ones after the restart stores each exactly
/// once.
/// </summary>
public abstract class KillDuringWebhookIntakeTests : IAsyncLifetime
{
    private const string Token = "kill-test-webhook-token";
    private const string EventType = "kill_test_event";
    private RegistryProcess? _registry;

    /// <summary>The database's connection settings, or null with <see cref="Unavailable"/> set.</summary>
    protected abstract Task<IReadOnlyDictionary<string, string>?> PrepareAsync();
    protected string? Unavailable { get; set; }
    protected abstract Task<List<long>> StoredIdsAsync(string eventType);
    protected abstract Task CleanupAsync();

    private IReadOnlyDictionary<string, string> _settings = null!;

    public async ValueTask InitializeAsync()
    {
        var database = await PrepareAsync();
        if (database is null) return;
        _settings = new Dictionary<string, string>(database)
        {
            ["Database:MigrateAtStartup"] = "true",
            ["Identity:BootstrapAdminEmail"] = RegistryApp.AdminEmail,
            ["Identity:BootstrapAdminPassword"] = $"pw-{Guid.NewGuid():N}",
            ["Waldur:Webhooks:Token"] = Token,
            // Nothing processes the stored deliveries: what is in the table is what intake stored.
            ["Waldur:Inbox:Enabled"] = "false",
            ["Waldur:Webhooks:PerAddressPerMinute"] = "1000000",
            ["Logging:LogLevel:Default"] = "Warning",
        };
    }

    private HttpClient Waldur()
    {
        var http = new HttpClient { BaseAddress = _registry!.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Add("X-Webhook-Token", Token);
        return http;
    }

    private static string Delivery(int n) =>
        WebhookReceiverTests.LiveEvent(EventType, $$"""{"order_uuid": "{{new Guid(n, 0, 0, new byte[8]):N}}"}""");

    [Fact]
    public async Task EveryAcknowledgedDeliveryIsStoredAfterSigkillAndRedeliveryStoresEachOnce()
    {
        if (Unavailable is not null) Requirement.Missing(Unavailable);
        _registry = await RegistryProcess.StartAsync(_settings);

        var acknowledged = new ConcurrentDictionary<int, long>();
        var unanswered = new ConcurrentBag<string>();
        var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var next = 0;
        using var stop = new CancellationTokenSource();
        var senders = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            using var http = Waldur();
            while (!stop.IsCancellationRequested)
            {
                var n = Interlocked.Increment(ref next);
                var body = Delivery(n);
                try
                {
                    var response = await http.PostAsync("/webhooks/waldur/order/", new StringContent(body, Encoding.UTF8, "application/json"));
                    var receipt = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
                    Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
                    Assert.False((bool)receipt["duplicate"]!);
                    acknowledged[n] = (long)receipt["id"]!;
                    if (acknowledged.Count == 200) enough.TrySetResult();
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException or IOException)
                {
                    unanswered.Add(body);
                    return;
                }
            }
        })).ToList();

        await Task.WhenAny(enough.Task, Task.WhenAll(senders)).WaitAsync(TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken);
        if (!enough.Task.IsCompleted)
        {
            await Task.WhenAll(senders);
            Assert.Fail($"The senders stopped after {acknowledged.Count} acknowledged deliveries, before the registry was killed.");
        }
        await _registry.KillAsync();
        stop.Cancel();
        await Task.WhenAll(senders);
        Assert.NotEmpty(unanswered);

        // Every acknowledged delivery is there under the id it was acknowledged with; nothing else but unanswered ones.
        var stored = await StoredIdsAsync(EventType);
        Assert.Empty(acknowledged.Values.Except(stored));
        Assert.InRange(stored.Count, acknowledged.Count, acknowledged.Count + unanswered.Count);
        Assert.Equal(stored.Count, stored.Distinct().Count());

        // Waldur redelivers what it got no answer for: each is stored once, whether or not it was stored before the kill.
        await _registry.DisposeAsync();
        _registry = await RegistryProcess.StartAsync(_settings);
        using (var http = Waldur())
            foreach (var body in unanswered)
                await http.PostAsync("/webhooks/waldur/order/", new StringContent(body, Encoding.UTF8, "application/json")).Json200(202);
        var after = await StoredIdsAsync(EventType);
        Assert.Equal(acknowledged.Count + unanswered.Count, after.Count);
        Assert.Empty(acknowledged.Values.Except(after));
    }

    protected static async Task<List<long>> ReadIds(System.Data.Common.DbCommand command)
    {
        var ids = new List<long>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) ids.Add(reader.GetInt64(0));
        return ids;
    }

    public async ValueTask DisposeAsync()
    {
        if (_registry is not null) await _registry.DisposeAsync();
        await CleanupAsync();
        GC.SuppressFinalize(this);
    }
}

public sealed class KillDuringWebhookIntakeOnSqlite : KillDuringWebhookIntakeTests
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"agentregistry-kill-webhooks-{Guid.NewGuid():N}.db");

    protected override Task<IReadOnlyDictionary<string, string>?> PrepareAsync() =>
        Task.FromResult<IReadOnlyDictionary<string, string>?>(new Dictionary<string, string>
        {
            ["Database:Provider"] = "Sqlite", ["Database:ConnectionString"] = $"Data Source={_file}",
        });

    protected override async Task<List<long>> StoredIdsAsync(string eventType)
    {
        await using var connection = new SqliteConnection($"Data Source={_file};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT \"Id\" FROM \"WebhookEvents\" WHERE \"EventType\" = $t";
        command.Parameters.AddWithValue("$t", eventType);
        return await ReadIds(command);
    }

    protected override Task CleanupAsync()
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
            if (File.Exists(_file + suffix)) File.Delete(_file + suffix);
        return Task.CompletedTask;
    }
}

public sealed class KillDuringWebhookIntakeOnPostgres : KillDuringWebhookIntakeTests
{
    private string? _database;

    protected override async Task<IReadOnlyDictionary<string, string>?> PrepareAsync()
    {
        string? unavailable;
        (_database, unavailable) = await PostgresServer.CreateDatabaseAsync();
        Unavailable = unavailable;
        return _database is null ? null : new Dictionary<string, string>
        {
            ["Database:Provider"] = "Postgres", ["Database:ConnectionString"] = PostgresServer.ConnectionString(_database),
        };
    }

    protected override async Task<List<long>> StoredIdsAsync(string eventType)
    {
        await using var connection = new NpgsqlConnection(PostgresServer.ConnectionString(_database!) + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT \"Id\" FROM \"WebhookEvents\" WHERE \"EventType\" = @t", connection);
        command.Parameters.AddWithValue("t", eventType);
        return await ReadIds(command);
    }

    protected override Task CleanupAsync() => _database is null ? Task.CompletedTask : PostgresServer.DropDatabaseAsync(_database);
}
