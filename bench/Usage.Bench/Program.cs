// Usage metering figures: ingestion over real HTTP against the registry started as its own process (the built
// agentregistry.dll), the quota check with totals loaded, and one full aggregation over bulk-loaded records.
// Prints figures only; nothing here asserts timings.
//
//   dotnet run -c Release --project bench/Usage.Bench -- --provider sqlite|postgres [--clients 4] [--seconds 20]
//     [--records 10000000] [--accesses 1000] [--phases ingest,small,quota,aggregate]
//     [--postgres "Host=127.0.0.1;Username=postgres;Password=postgres"] [--registry <another build's agentregistry.dll>]
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AgentRegistry.Infrastructure;
using AgentRegistry.Metering;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

var options = args.Select((a, i) => (a, i)).Where(x => x.a.StartsWith("--", StringComparison.Ordinal))
    .ToDictionary(x => x.a[2..], x => x.i + 1 < args.Length ? args[x.i + 1] : "");
string Opt(string name, string fallback) => options.TryGetValue(name, out var v) ? v : fallback;
var provider = Opt("provider", "sqlite");
var postgres = provider == "postgres";
var clients = int.Parse(Opt("clients", "4"));
var seconds = int.Parse(Opt("seconds", "20"));
var records = long.Parse(Opt("records", postgres ? "10000000" : "1000000"));
var accessCount = int.Parse(Opt("accesses", "1000"));
var phases = Opt("phases", "ingest,quota,aggregate").Split(',');
var admin = Opt("postgres", Environment.GetEnvironmentVariable("AGENTREGISTRY_TEST_POSTGRES") ?? "Host=127.0.0.1;Port=5432;Username=postgres;Password=postgres");

Console.WriteLine($"Usage.Bench {provider} at {DateTime.UtcNow:u}; {Environment.ProcessorCount} cores; load average {LoadAverage()}");

var file = Path.Combine(Path.GetTempPath(), $"agentregistry-usage-bench-{Guid.NewGuid():N}.db");
var database = $"ar_bench_{Guid.NewGuid():N}";
string connection;
if (postgres)
{
    await using var c = new NpgsqlConnection(admin);
    await c.OpenAsync();
    await new NpgsqlCommand($"CREATE DATABASE \"{database}\"", c).ExecuteNonQueryAsync();
    connection = new NpgsqlConnectionStringBuilder(admin) { Database = database }.ConnectionString;
}
else connection = $"Data Source={file}";

var password = $"pw-{Guid.NewGuid():N}";
Process? registry = null;
try
{
    var baseUri = await StartRegistryAsync();
    using var op = await SignInAsync(baseUri);
    var (tenantId, accessId, key) = await SeedAsync(op);

    if (phases.Contains("ingest"))
    {
        var at = DateTime.UtcNow.AddMinutes(-1);
        var total = 0L;
        var latencies = new System.Collections.Concurrent.ConcurrentBag<double>();
        async Task Send(HttpClient http, string prefix, int batch, bool count)
        {
            var body = new { events = Enumerable.Range(0, 1000).Select(i => new { id = $"{prefix}-{batch}-{i}", metric = "output_tokens", quantity = 10, occurred_at = at }) };
            var started = Stopwatch.GetTimestamp();
            var response = await http.PostAsJsonAsync("/api/v1/usage/events", body);
            var result = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            if ((int?)result["accepted"] + (int?)result["duplicate"] != 1000) throw new InvalidOperationException(result.ToJsonString());
            if (count) { Interlocked.Add(ref total, (int)result["accepted"]!); latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds); }
        }
        using (var warm = KeyClient(baseUri, key)) for (var b = 0; b < 5; b++) await Send(warm, "warm", b, false);
        foreach (var n in new[] { 1, clients })
        {
            total = 0;
            latencies.Clear();
            var watch = Stopwatch.StartNew();
            var deadline = DateTime.UtcNow.AddSeconds(seconds);
            await Task.WhenAll(Enumerable.Range(0, n).Select(async w =>
            {
                using var http = KeyClient(baseUri, key);
                for (var b = 0; DateTime.UtcNow < deadline; b++) await Send(http, $"c{n}-{w}", b, true);
            }));
            var sorted = latencies.Order().ToArray();
            Console.WriteLine($"ingestion {provider}: {total / watch.Elapsed.TotalSeconds:F0} events/s with {n} client(s), batches of 1000, " +
                $"{sorted.Length} batches, p50 {sorted[sorted.Length / 2]:F1} ms p95 {sorted[(int)(sorted.Length * 0.95)]:F1} ms per batch; load average {LoadAverage()}");
        }
        var dupWatch = Stopwatch.StartNew();
        using (var dup = KeyClient(baseUri, key)) for (var b = 0; b < 20; b++) await Send(dup, "c1-0", b, false);
        Console.WriteLine($"ingestion {provider}: {20_000 / dupWatch.Elapsed.TotalSeconds:F0} events/s re-sending already stored batches (all duplicate)");
    }

    if (phases.Contains("small"))
    {
        // One event per request: the fixed cost of a request (API key authentication, access lookup, one insert).
        var at = DateTime.UtcNow.AddMinutes(-1);
        var sent = 0L;
        var watch = Stopwatch.StartNew();
        var deadline = DateTime.UtcNow.AddSeconds(Math.Min(seconds, 10));
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async w =>
        {
            using var http = KeyClient(baseUri, key);
            for (var b = 0; DateTime.UtcNow < deadline; b++)
            {
                var response = await http.PostAsJsonAsync("/api/v1/usage/events", new { events = new[] { new { id = $"small-{w}-{b}", metric = "messages", quantity = 1, occurred_at = at } } });
                response.EnsureSuccessStatusCode();
                Interlocked.Increment(ref sent);
            }
        }));
        Console.WriteLine($"ingestion {provider}: {sent / watch.Elapsed.TotalSeconds:F0} requests/s of one event each with {clients} clients " +
            $"({watch.Elapsed.TotalMilliseconds * clients / sent:F2} ms per request per client); load average {LoadAverage()}");
    }

    if (phases.Contains("quota"))
    {
        foreach (var cacheSeconds in new[] { 0, 30 })
        {
            await using var db = Db();
            db.Caller.AsSystem();
            var quota = new QuotaTracker(TimeProvider.System, Options.Create(new MeteringOptions { PlanCacheSeconds = cacheSeconds }));
            await quota.EnsureWithinAsync(db, accessId, CancellationToken.None);
            var n = cacheSeconds == 0 ? 2_000 : 2_000_000;
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < n; i++) await quota.EnsureWithinAsync(db, accessId, CancellationToken.None);
            Console.WriteLine($"quota check {provider}: {watch.Elapsed.TotalNanoseconds / n:F0} ns/op EnsureWithinAsync with totals loaded, " +
                (cacheSeconds == 0 ? "plan read per call (as before)" : "plan remembered (30 s)") + $" ({n} calls)");
        }
    }

    if (phases.Contains("aggregate"))
    {
        registry!.Kill(entireProcessTree: true);
        await registry.WaitForExitAsync();
        var watch = Stopwatch.StartNew();
        await BulkLoadAsync(tenantId);
        Console.WriteLine($"aggregation {provider}: bulk-loaded {records:N0} records over {accessCount} accesses x 30 days in {watch.Elapsed.TotalSeconds:F1} s");
        foreach (var pass in new[] { "first (all summaries new)", "second (nothing changed)" })
        {
            await using var db = Db();
            db.Caller.AsSystem();
            watch.Restart();
            var r = await new UsageAggregator(db, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<UsageAggregator>.Instance).RunAsync(DateTime.UtcNow.AddDays(-1), CancellationToken.None);
            Console.WriteLine($"aggregation {provider}: {pass} pass over {records:N0} records in {watch.Elapsed.TotalSeconds:F1} s: {r.DaysRecomputed} access-days, " +
                $"{r.SummariesChanged} summaries, {r.SnapshotsChanged} snapshots written; load average {LoadAverage()}");
        }
    }
}
finally
{
    if (registry is { HasExited: false }) { registry.Kill(entireProcessTree: true); await registry.WaitForExitAsync(); }
    if (postgres)
    {
        NpgsqlConnection.ClearAllPools();
        await using var c = new NpgsqlConnection(admin);
        await c.OpenAsync();
        await new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", c).ExecuteNonQueryAsync();
    }
    else
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(file + suffix);
    }
}
return 0;

RegistryDb Db()
{
    var caller = new Caller(new HttpContextAccessor());
    return postgres
        ? new PostgresRegistryDb(new DbContextOptionsBuilder<PostgresRegistryDb>().UseNpgsql(connection).Options) { Caller = caller }
        : new SqliteRegistryDb(new DbContextOptionsBuilder<SqliteRegistryDb>().UseSqlite(connection).Options) { Caller = caller };
}

async Task<Uri> StartRegistryAsync()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    var uri = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}");
    listener.Stop();
    var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
    start.ArgumentList.Add(Opt("registry", Path.Combine(AppContext.BaseDirectory, "agentregistry.dll")));
    start.Environment["ASPNETCORE_URLS"] = uri.ToString();
    start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
    start.Environment["Database__Provider"] = postgres ? "Postgres" : "Sqlite";
    start.Environment["Database__ConnectionString"] = connection;
    start.Environment["Database__MigrateAtStartup"] = "true";
    start.Environment["Identity__BootstrapAdminEmail"] = "admin@bench.local";
    start.Environment["Identity__BootstrapAdminPassword"] = password;
    start.Environment["Metering__AggregateSeconds"] = "0";
    // The load is one key sending thousands of batches a minute: above the default per-key limit.
    start.Environment["ApiKeys__RequestsPerMinute"] = "100000000";
    start.Environment["Logging__LogLevel__Default"] = "Warning";
    registry = Process.Start(start)!;
    registry.OutputDataReceived += (_, _) => { };
    registry.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine($"registry: {e.Data}"); };
    registry.BeginOutputReadLine();
    registry.BeginErrorReadLine();
    using var probe = new HttpClient { BaseAddress = uri, Timeout = TimeSpan.FromSeconds(2) };
    for (var i = 0; i < 1200; i++)
    {
        if (registry.HasExited) throw new InvalidOperationException($"The registry exited with {registry.ExitCode}.");
        try { if ((await probe.GetAsync("/health/ready")).IsSuccessStatusCode) return uri; }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
        await Task.Delay(100);
    }
    throw new TimeoutException("The registry did not become ready.");
}

async Task<HttpClient> SignInAsync(Uri uri)
{
    var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = uri };
    var form = await client.GetStringAsync("/login");
    var token = Regex.Match(form, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
    var response = await client.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
    {
        ["Email"] = "admin@bench.local", ["Password"] = password, ["__RequestVerificationToken"] = token,
    }));
    if (response.StatusCode != HttpStatusCode.Redirect) throw new InvalidOperationException($"Sign-in failed: {(int)response.StatusCode}");
    return client;
}

static async Task<(Guid Tenant, Guid Access, string Key)> SeedAsync(HttpClient op)
{
    async Task<JsonNode> Post(string url, object body)
    {
        var response = await op.PostAsJsonAsync(url, body);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{url}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }
    var suffix = Guid.NewGuid().ToString("N")[..8];
    var category = await Post("/api/v1/categories", new { name = "Bench", slug = $"bench-{suffix}" });
    var agent = await Post("/api/v1/agents", new { category_id = (string)category["id"]!, name = "Bench", slug = $"bench-{suffix}", description = "Bench", default_persona = "Bench" });
    var plan = await Post($"/api/v1/agents/{agent["id"]}/plans", new
    {
        name = "Bench", unit = "month", unit_price = 1m,
        components = new object[]
        {
            new { type = "messages", name = "Messages", measured_unit = "messages", billing_type = "usage", price = 0.01m, limit = 1_000_000_000, hard_limit = true },
            new { type = "tokens", name = "Tokens", measured_unit = "k tokens", billing_type = "usage", metric = "output_tokens", unit_size = 1000, price = 0.002m, limit = 1_000_000_000, hard_limit = true },
        },
    });
    var tenant = await Post("/api/v1/tenants", new { name = "Bench", slug = $"bench-{suffix}" });
    var project = await Post($"/api/v1/tenants/{tenant["id"]}/projects", new { name = "Bench" });
    var access = await Post("/api/v1/accesses", new { project_id = (string)project["id"]!, agent_id = (string)agent["id"]!, plan_id = (string)plan["id"]! });
    var key = await Post($"/api/v1/accesses/{access["id"]}/api-keys", new { name = "bench", scopes = new[] { "usage:write" } });
    return (Guid.Parse((string)tenant["id"]!), Guid.Parse((string)access["id"]!), (string)key["key"]!);
}

static HttpClient KeyClient(Uri uri, string key)
{
    var client = new HttpClient { BaseAddress = uri, Timeout = TimeSpan.FromMinutes(2) };
    client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
    return client;
}

// Records over accessCount made-up accesses of the tenant and the last 30 days, recorded now (all touched by one pass).
async Task BulkLoadAsync(Guid tenant)
{
    await using var db = Db();
    db.Database.SetCommandTimeout(TimeSpan.FromHours(1));
    if (postgres)
    {
        // Numbers and ids only, formatted here: nothing from outside reaches the statement text.
        var load = $"""
            INSERT INTO "UsageRecords" ("TenantId", "AccessId", "AgentId", "Metric", "Quantity", "OccurredAt", "RecordedAt", "IdempotencyKey")
            SELECT '{tenant}', md5('access' || (i % {accessCount}))::uuid, '{tenant}',
                (ARRAY['messages', 'input_tokens', 'output_tokens'])[1 + i % 3], 1 + i % 7,
                now() - (i % 43200) * interval '1 minute', now(), 'bench:' || i
            FROM generate_series(1, {records}) AS i
            """;
        await db.Database.ExecuteSqlRawAsync(load);
        await db.Database.ExecuteSqlRawAsync("ANALYZE \"UsageRecords\"");
    }
    else
    {
        var t = tenant.ToString("D").ToUpperInvariant();
        var load = $"""
            WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {records})
            INSERT INTO "UsageRecords" ("TenantId", "AccessId", "AgentId", "Metric", "Quantity", "OccurredAt", "RecordedAt", "IdempotencyKey")
            SELECT '{t}', upper(printf('00000000-0000-0000-0000-%012d', i % {accessCount})), '{t}',
                CASE i % 3 WHEN 0 THEN 'messages' WHEN 1 THEN 'input_tokens' ELSE 'output_tokens' END, 1 + i % 7,
                strftime('%Y-%m-%d %H:%M:%S', 'now', '-' || (i % 43200) || ' minutes'), strftime('%Y-%m-%d %H:%M:%f', 'now'), 'bench:' || i
            FROM s
            """;
        await db.Database.ExecuteSqlRawAsync(load);
        await db.Database.ExecuteSqlRawAsync("ANALYZE");
    }
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
