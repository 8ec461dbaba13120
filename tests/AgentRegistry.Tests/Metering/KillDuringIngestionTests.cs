using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using AgentRegistry.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace AgentRegistry.Tests.Metering;

/// <summary>
/// The registry as its own process (the built agentregistry.dll) on a SQLite file, killed with SIGKILL while several
/// clients send usage batches: after a restart on the same file, what is stored is exactly what the answered batches
/// accepted plus, at most once, what unanswered batches carried; re-sending the unanswered batches makes it exact.
/// </summary>
public sealed class KillDuringIngestionTests : IAsyncLifetime
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"agentregistry-kill-{Guid.NewGuid():N}.db");
    private readonly string _password = $"pw-{Guid.NewGuid():N}";
    private Process? _process;
    private Uri _base = null!;

    private async Task StartAsync()
    {
        var port = FreePort();
        _base = new Uri($"http://127.0.0.1:{port}");
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "agentregistry.dll"));
        start.Environment["ASPNETCORE_URLS"] = _base.ToString();
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["Database__Provider"] = "Sqlite";
        start.Environment["Database__ConnectionString"] = $"Data Source={_file}";
        start.Environment["Database__MigrateAtStartup"] = "true";
        start.Environment["Identity__BootstrapAdminEmail"] = RegistryApp.AdminEmail;
        start.Environment["Identity__BootstrapAdminPassword"] = _password;
        start.Environment["Metering__AggregateSeconds"] = "0";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        using var probe = new HttpClient { BaseAddress = _base, Timeout = TimeSpan.FromSeconds(2) };
        for (var i = 0; i < 600; i++)
        {
            if (_process.HasExited) throw new InvalidOperationException($"The registry exited with {_process.ExitCode}.");
            try
            {
                if ((await probe.GetAsync("/health/ready")).IsSuccessStatusCode) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
            await Task.Delay(100);
        }
        throw new TimeoutException("The registry did not become ready in 60 s.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task<HttpClient> OperatorAsync()
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = _base };
        var token = RegistryApp.AntiforgeryToken().Match(await client.GetStringAsync("/login")).Groups[1].Value;
        var response = await client.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = RegistryApp.AdminEmail, ["Password"] = _password, ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    private HttpClient KeyClient(string key)
    {
        var client = new HttpClient { BaseAddress = _base, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    private sealed record Batch(int Number, long Quantity)
    {
        public object Body(DateTime at) => new
        {
            events = Enumerable.Range(0, 200).Select(i => new { id = $"{Number}-{i}", metric = "output_tokens", quantity = Quantity, occurred_at = at }),
        };
    }

    [Fact]
    public async Task StoredUsageAfterSigkillIsExactlyWhatWasAcceptedAndResendingCountsOnce()
    {
        await StartAsync();
        var op = await OperatorAsync();
        var seeded = await op.SubscribedTenantAsync();
        var key = await op.IssueKeyAsync(seeded.AccessId, "usage:write");
        var at = DateTime.UtcNow.AddMinutes(-1);

        var accepted = 0L;
        var unanswered = new System.Collections.Concurrent.ConcurrentBag<Batch>();
        var answered = 0;
        var twentyAnswered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var next = 0;
        using var stop = new CancellationTokenSource();
        var clients = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            using var http = KeyClient(key);
            while (!stop.IsCancellationRequested)
            {
                // Quantities differ per batch so that a batch counted twice or half would show in the sum.
                var n = Interlocked.Increment(ref next);
                var batch = new Batch(n, 1 + n % 13);
                try
                {
                    var body = await (await http.PostJson("/api/v1/usage/events", batch.Body(at))).Content.ReadAsStringAsync();
                    var result = JsonNode.Parse(body)!;
                    Assert.Equal(200, (int)result["accepted"]!);
                    Interlocked.Add(ref accepted, 200 * batch.Quantity);
                    if (Interlocked.Increment(ref answered) == 20) twentyAnswered.TrySetResult();
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException or IOException)
                {
                    unanswered.Add(batch);
                    return;
                }
            }
        })).ToList();

        // Twenty batches answered, or every sender stopped (a failed sender fails the test below), within a deadline.
        await Task.WhenAny(twentyAnswered.Task, Task.WhenAll(clients)).WaitAsync(TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken);
        if (!twentyAnswered.Task.IsCompleted)
        {
            await Task.WhenAll(clients);
            Assert.Fail($"The senders stopped after {answered} answered batches, before the registry was killed.");
        }
        _process!.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        stop.Cancel();
        await Task.WhenAll(clients);
        Assert.NotEmpty(unanswered);

        // Stored: every answered batch in full, each unanswered batch in full or not at all.
        var stored = StoredQuantity(seeded.AccessId);
        var maybe = unanswered.Sum(b => 200 * b.Quantity);
        Assert.InRange(stored, accepted, accepted + maybe);
        var partial = StoredBatches(seeded.AccessId);
        Assert.All(partial, count => Assert.Equal(200, count));

        _process.Dispose();
        await StartAsync();
        using var again = KeyClient(key);
        foreach (var batch in unanswered)
        {
            var result = await again.PostJson("/api/v1/usage/events", batch.Body(at)).Json200();
            Assert.Equal(200, (int)result["accepted"]! + (int)result["duplicate"]!);
        }
        Assert.Equal(accepted + maybe, StoredQuantity(seeded.AccessId));
    }

    private long StoredQuantity(string accessId)
    {
        using var connection = new SqliteConnection($"Data Source={_file};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT coalesce(sum(\"Quantity\"), 0) FROM \"UsageRecords\" WHERE \"AccessId\" = $a";
        command.Parameters.AddWithValue("$a", Guid.Parse(accessId).ToString("D").ToUpperInvariant());
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>Stored events per batch number: a batch is all or nothing.</summary>
    private List<long> StoredBatches(string accessId)
    {
        using var connection = new SqliteConnection($"Data Source={_file};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT count(*) FROM "UsageRecords" WHERE "AccessId" = $a
            GROUP BY substr("IdempotencyKey", 1, instr("IdempotencyKey", '-') - 1)
            """;
        command.Parameters.AddWithValue("$a", Guid.Parse(accessId).ToString("D").ToUpperInvariant());
        using var reader = command.ExecuteReader();
        var counts = new List<long>();
        while (reader.Read()) counts.Add(reader.GetInt64(0));
        return counts;
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process?.Dispose();
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
            if (File.Exists(_file + suffix)) File.Delete(_file + suffix);
    }
}
