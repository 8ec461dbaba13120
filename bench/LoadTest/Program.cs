// Load console for the chat hot path. Starts nothing but a fake OpenAI-compatible upstream (in this process, loopback);
// drives an already running registry at 127.0.0.1 only, bounded in clients and seconds, and stops by itself.
//
//   dotnet run -c Release --project bench/LoadTest -- --url http://127.0.0.1:5080 --password <admin password>
//     [--email admin@localhost] [--clients 100] [--seconds 20] [--warmup 3] [--streams 500] [--stream-seconds 20]
//     [--upstream-delay-ms 200] [--phases chat,stream,widget] [--questions 8] [--visitors 100] [--registry-pid <pid>]
//
// The widget phase (init with Origin, visitor token, POST messages JSON) needs the registry's widget rate limits raised
// above the load, e.g. Widget__VisitorMessagesPerMinute=10000 Widget__WidgetMessagesPerMinute=1000000
// Widget__InitsPerAddressPerMinute=100000; the chat phases ApiKeys__RequestsPerMinute=100000000; the stream phase, whose
// fake upstream listens on loopback, Llm__AllowedHosts__0=127.0.0.1.
// With --registry-pid (a local registry), each phase also prints the registry process's CPU time per request, a figure
// that holds up better than latency on a machine shared with other work.
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

var opt = Args.Parse(args);
var baseUri = new Uri(opt.Get("url", "http://127.0.0.1:5080"));
if (!IPAddress.TryParse(baseUri.Host, out var ip) || !IPAddress.IsLoopback(ip))
{
    Console.Error.WriteLine("Refusing: the registry URL must be a loopback address (127.0.0.1).");
    return 2;
}
var password = opt.Get("password", Environment.GetEnvironmentVariable("REGISTRY_ADMIN_PASSWORD") ?? "");
var email = opt.Get("email", "admin@localhost");
var clients = Math.Clamp(opt.Int("clients", 100), 1, 2000);
var seconds = Math.Clamp(opt.Int("seconds", 20), 1, 300);
var warmup = Math.Clamp(opt.Int("warmup", 3), 0, 60);
var streams = Math.Clamp(opt.Int("streams", 500), 1, 2000);
var streamSeconds = Math.Clamp(opt.Int("stream-seconds", 20), 1, 300);
var upstreamDelay = Math.Clamp(opt.Int("upstream-delay-ms", 200), 0, 10_000);
var questionCount = Math.Clamp(opt.Int("questions", 8), 1, 1_000_000);
var visitors = Math.Clamp(opt.Int("visitors", 100), 1, 2000);
var registryPid = opt.Int("registry-pid", 0);
var phases = opt.Get("phases", "chat,stream").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

Console.WriteLine($"LoadTest against {baseUri} at {DateTime.UtcNow:u}; {Environment.ProcessorCount} cores; load average {LoadAverage()}");

// ---- fake upstream -------------------------------------------------------------------------------------------------
var upstreamTimes = new ConcurrentDictionary<string, double>();
var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.UseUrls("http://127.0.0.1:0");
builder.WebHost.ConfigureKestrel(k => { k.Limits.MaxConcurrentConnections = null; k.AddServerHeader = false; });
var upstream = builder.Build();
upstream.MapPost("/v1/chat/completions", async (HttpContext http) =>
{
    var started = Stopwatch.GetTimestamp();
    var body = await JsonNode.ParseAsync(http.Request.Body);
    var stream = body?["stream"]?.GetValue<bool>() == true;
    var last = body?["messages"]?.AsArray().LastOrDefault()?["content"];
    var text = last is JsonValue v ? v.ToString() : last?.ToJsonString() ?? "";
    var tag = Regex.Match(text, @"#req-(\d+)").Groups[1].Value;
    await Task.Delay(upstreamDelay);
    const string id = "chatcmpl-fake";
    var words = new[] { "The", " answer", " is", " forty", "-two", "." };
    if (!stream)
    {
        await http.Response.WriteAsJsonAsync(new
        {
            id, @object = "chat.completion", created = 1, model = "fake",
            choices = new[] { new { index = 0, message = new { role = "assistant", content = string.Concat(words) }, finish_reason = "stop" } },
            usage = new { prompt_tokens = 10, completion_tokens = 6, total_tokens = 16 },
        });
    }
    else
    {
        http.Response.ContentType = "text/event-stream";
        var sb = new StringBuilder();
        sb.Append("data: {\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"fake\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n");
        foreach (var w in words)
            sb.Append("data: {\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"fake\",\"choices\":[{\"index\":0,\"delta\":{\"content\":")
              .Append(JsonSerializer.Serialize(w)).Append("},\"finish_reason\":null}]}\n\n");
        sb.Append("data: {\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"fake\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n");
        sb.Append("data: {\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"fake\",\"choices\":[],\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":6,\"total_tokens\":16}}\n\n");
        sb.Append("data: [DONE]\n\n");
        await http.Response.WriteAsync(sb.ToString());
        await http.Response.Body.FlushAsync();
    }
    if (tag.Length > 0) upstreamTimes[tag] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
});
await upstream.StartAsync();
var upstreamUrl = upstream.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
Console.WriteLine($"fake upstream at {upstreamUrl}/v1, {upstreamDelay} ms before the first byte");

// ---- setup through the API ------------------------------------------------------------------------------------------
var cookies = new CookieContainer();
using var op = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = baseUri };
{
    var form = await op.GetStringAsync("/login");
    var token = Regex.Match(form, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
    var login = await op.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
    { ["Email"] = email, ["Password"] = password, ["__RequestVerificationToken"] = token }));
    if (login.StatusCode != HttpStatusCode.Redirect) { Console.Error.WriteLine($"Sign-in failed: {(int)login.StatusCode}"); return 1; }
}
var run = Guid.NewGuid().ToString("N")[..8];
async Task<JsonNode> Post(string path, object body)
{
    var r = await op.PostAsJsonAsync(path, body);
    var text = await r.Content.ReadAsStringAsync();
    if (!r.IsSuccessStatusCode) throw new InvalidOperationException($"POST {path}: {(int)r.StatusCode} {text}");
    return JsonNode.Parse(text)!;
}
object Plan(string name) => new
{
    name, unit = "month", unit_price = 10m,
    components = new object[]
    {
        new { type = "messages", name = "Messages", measured_unit = "messages", billing_type = "usage", price = 0.01m, limit = 100_000_000, hard_limit = false },
    },
};
var category = await Post("/api/v1/categories", new { name = "Bench", slug = $"bench-{run}" });
var offlineAgent = await Post("/api/v1/agents", new
{
    category_id = (string)category["id"]!, name = "Bench offline", slug = $"bench-offline-{run}", description = "Load test",
    default_persona = "You are a helpful support agent.",
});
var fakeAgentSlug = $"bench-upstream-{run}";
var fakeAgent = await Post("/api/v1/agents", new
{
    category_id = (string)category["id"]!, name = "Bench upstream", slug = fakeAgentSlug, description = "Load test",
    default_persona = "You are a helpful support agent.", provider = "openai", model = "fake-model", endpoint = $"{upstreamUrl}/v1",
});
var tenant = await Post("/api/v1/tenants", new { name = "Bench", slug = $"bench-{run}" });
var project = await Post($"/api/v1/tenants/{tenant["id"]}/projects", new { name = "Bench site" });
async Task<(string Access, string Key)> Subscribe(JsonNode agent)
{
    var plan = await Post($"/api/v1/agents/{agent["id"]}/plans", Plan("Bench"));
    var access = await Post("/api/v1/accesses", new { project_id = (string)project["id"]!, agent_id = (string)agent["id"]!, plan_id = (string)plan["id"]! });
    var key = await Post($"/api/v1/accesses/{access["id"]}/api-keys", new { name = "bench" });
    return ((string)access["id"]!, (string)key["key"]!);
}
var (offlineAccess, offlineKey) = await Subscribe(offlineAgent);
var (_, upstreamKey) = await Subscribe(fakeAgent);
var documentPath = opt.Get("document", "");
var questionsPath = opt.Get("questions-file", "");
{
    const string faq = """
        Opening hours. Our support desk is open Monday to Friday from 9:00 to 17:00 Central European Time.
        Refunds. You can ask for a refund within 30 days of purchase; refunds reach your card within five working days.
        Shipping. Orders ship within two working days; delivery inside the EU takes three to five days.
        Passwords. To reset your password, open the sign-in page and choose "Forgot password"; the link is valid for one hour.
        Invoices. Invoices are sent by email on the first day of each month and can be downloaded from the billing page.
        """;
    using var form = new MultipartFormDataContent();
    var file = new ByteArrayContent(documentPath.Length > 0 ? File.ReadAllBytes(documentPath) : Encoding.UTF8.GetBytes(faq));
    file.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
    form.Add(file, "file", documentPath.Length > 0 ? Path.GetFileName(documentPath) : "faq.txt");
    var r = await op.PostAsync($"/api/v1/accesses/{offlineAccess}/documents", form);
    var created = JsonNode.Parse(await r.Content.ReadAsStringAsync())!;
    if (!r.IsSuccessStatusCode) throw new InvalidOperationException($"upload: {(int)r.StatusCode} {created}");
    var sw = Stopwatch.StartNew();
    while (true)
    {
        var d = JsonNode.Parse(await op.GetStringAsync($"/api/v1/accesses/{offlineAccess}/documents/{created["id"]}"))!;
        var status = (string?)d["status"];
        if (status == "ready") { Console.WriteLine($"document ready after {sw.Elapsed.TotalSeconds:F1} s ({d["chunk_count"]} chunks)"); break; }
        if (status == "failed" || sw.Elapsed > TimeSpan.FromMinutes(3)) throw new InvalidOperationException($"document not ready: {d}");
        await Task.Delay(250);
    }
}

var questions = questionsPath.Length > 0
    ? File.ReadAllLines(questionsPath).Where(l => l.Trim().Length > 0).ToArray()
    : new[]
{
    "When is the support desk open?", "How do I get a refund?", "How long does shipping take?", "How do I reset my password?",
    "Where can I download my invoices?", "Do you ship to the EU?", "How long is the password reset link valid?", "When are invoices sent?",
};

var handler = new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue, PooledConnectionLifetime = Timeout.InfiniteTimeSpan, UseCookies = false };
using var http = new HttpClient(handler) { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(60) };
long seq = 0;

// ---- phase 1: /api/v1/chat, offline provider, JSON --------------------------------------------------------------------
if (phases.Contains("chat"))
{
    async Task<(bool Ok, string? Error)> ChatOnce()
    {
        var n = Interlocked.Increment(ref seq);
        var q = questionCount <= questions.Length ? questions[n % questionCount] : $"{questions[n % questions.Length]} ({n % questionCount})";
        using var req = new HttpRequestMessage(HttpMethod.Post, "/api/v1/chat") { Content = JsonContent.Create(new { message = q }) };
        req.Headers.Authorization = new AuthenticationHeaderValue("Bearer", offlineKey);
        using var res = await http.SendAsync(req);
        var body = await res.Content.ReadAsStringAsync();
        return res.IsSuccessStatusCode && body.Contains("\"answer\"") ? (true, null) : (false, $"{(int)res.StatusCode} {Trunc(body)}");
    }
    var cpu = RegistryCpu();
    var result = await ClosedLoop.RunAsync("chat", clients, warmup, seconds, async () => { var (ok, e) = await ChatOnce(); return (ok, e, 0); });
    result.Print($"POST /api/v1/chat (offline, JSON, {questionCount} distinct questions), {clients} clients, {seconds} s");
    PrintCpu(cpu, result);
}

// ---- phase 2: /v1/chat/completions, streaming through the fake upstream ----------------------------------------------
if (phases.Contains("stream"))
{
    var overheads = new ConcurrentBag<double>();
    var firstBytes = new ConcurrentBag<double>();
    async Task<(bool Ok, string? Error, double)> StreamOnce()
    {
        var n = Interlocked.Increment(ref seq);
        var tag = n.ToString();
        var start = Stopwatch.GetTimestamp();
        using var req = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = JsonContent.Create(new { model = fakeAgentSlug, stream = true, messages = new[] { new { role = "user", content = $"{questions[n % questions.Length]} #req-{tag}" } } }),
        };
        req.Headers.Authorization = new AuthenticationHeaderValue("Bearer", upstreamKey);
        using var res = await http.SendAsync(req, HttpCompletionOption.ResponseHeadersRead);
        if (!res.IsSuccessStatusCode) return (false, $"{(int)res.StatusCode} {Trunc(await res.Content.ReadAsStringAsync())}", 0);
        await using var s = await res.Content.ReadAsStreamAsync();
        var buf = new byte[8192];
        var all = new StringBuilder();
        var first = 0.0;
        int read;
        while ((read = await s.ReadAsync(buf)) > 0)
        {
            if (first == 0) first = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            all.Append(Encoding.UTF8.GetString(buf, 0, read));
        }
        var total = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        var text = all.ToString();
        if (!text.Contains("[DONE]") || !text.Contains("forty")) return (false, $"incomplete stream: {Trunc(text)}", 0);
        if (!upstreamTimes.TryRemove(tag, out var up)) return (false, "upstream did not see the request tag", 0);
        firstBytes.Add(first);
        return (true, null, total - up);
    }
    var cpu = RegistryCpu();
    var result = await ClosedLoop.RunAsync("stream", streams, warmup, streamSeconds, StreamOnce);
    result.Print($"POST /v1/chat/completions stream=true via fake upstream ({upstreamDelay} ms), {streams} concurrent streams, {streamSeconds} s");
    PrintCpu(cpu, result);
    if (result.Extra.Count > 0)
    {
        var o = result.Extra.ToArray(); Array.Sort(o);
        Console.WriteLine($"  registry overhead (end-to-end - upstream handling) p50/p95/p99/max: {P(o, 50):F1} / {P(o, 95):F1} / {P(o, 99):F1} / {o[^1]:F1} ms");
        var f = firstBytes.ToArray(); Array.Sort(f);
        Console.WriteLine($"  first byte at client p50/p99: {P(f, 50):F1} / {P(f, 99):F1} ms (includes the {upstreamDelay} ms upstream delay)");
    }
}

// ---- phase 3: widget messages, offline provider, JSON fallback, one visitor per client ----------------------------
if (phases.Contains("widget"))
{
    const string shop = "http://shop.bench.example";
    var widget = await Post($"/api/v1/accesses/{offlineAccess}/widgets", new { name = "Bench", allowed_origins = new[] { shop } });
    var widgetApi = $"/api/widget/v1/{widget["key"]}";
    var tokens = new string[visitors];
    for (var i = 0; i < visitors; i++)
    {
        using var init = new HttpRequestMessage(HttpMethod.Get, $"{widgetApi}/init");
        init.Headers.Add("Origin", shop);
        using var r = await http.SendAsync(init);
        var body = await r.Content.ReadAsStringAsync();
        if (!r.IsSuccessStatusCode) throw new InvalidOperationException($"widget init: {(int)r.StatusCode} {body}");
        tokens[i] = (string)JsonNode.Parse(body)!["visitor_token"]!;
    }
    var visitor = 0;
    var cpu = RegistryCpu();
    var result = await ClosedLoop.RunAsync("widget", visitors, warmup, seconds, async () =>
    {
        var n = Interlocked.Increment(ref seq);
        var q = questionCount <= questions.Length ? questions[n % questionCount] : $"{questions[n % questions.Length]} ({n % questionCount})";
        using var req = new HttpRequestMessage(HttpMethod.Post, $"{widgetApi}/messages") { Content = JsonContent.Create(new { message = q, stream = false }) };
        req.Headers.Add("Origin", shop);
        req.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens[Interlocked.Increment(ref visitor) % visitors]);
        using var res = await http.SendAsync(req);
        var body = await res.Content.ReadAsStringAsync();
        var ok = res.IsSuccessStatusCode && body.Contains("\"answer\"") && res.Headers.Contains("Access-Control-Allow-Origin");
        return (ok, ok ? null : $"{(int)res.StatusCode} {Trunc(body)}", 0);
    });
    result.Print($"POST {widgetApi[..20]}…/messages (offline, JSON, Origin + visitor token, {questionCount} distinct questions), {visitors} visitors, {seconds} s");
    PrintCpu(cpu, result);
}

// ---- wrk phases: the registry and a bare Kestrel endpoint of the same route shape, the same load, one run ----------
var followUpEvery = Math.Clamp(opt.Int("follow-up-every", 2), 0, 1000);
var unique = opt.Get("unique", "false") == "true";
var connections = Math.Clamp(opt.Int("connections", 100), 1, 2000);
if (phases.Contains("widget-wrk") || phases.Contains("webhooks-wrk"))
{
    if (!Wrk.Available) { Console.Error.WriteLine("wrk is not installed (apt-get install -y wrk)"); return 2; }
    var (bare, bareUrl) = await Wrk.StartBareAsync();
    if (phases.Contains("widget-wrk"))
    {
        const string shop = "http://shop.bench.example";
        var widget = await Post($"/api/v1/accesses/{offlineAccess}/widgets", new { name = "Bench", allowed_origins = new[] { shop } });
        var path = $"/api/widget/v1/{widget["key"]}/messages";
        var tokens = new List<string>();
        var conversations = new List<string>();
        for (var i = 0; i < visitors; i++)
        {
            using var init = new HttpRequestMessage(HttpMethod.Get, $"/api/widget/v1/{widget["key"]}/init");
            init.Headers.Add("Origin", shop);
            using var r = await http.SendAsync(init);
            var body = await r.Content.ReadAsStringAsync();
            if (!r.IsSuccessStatusCode) throw new InvalidOperationException($"widget init: {(int)r.StatusCode} {body}");
            var token = (string)JsonNode.Parse(body)!["visitor_token"]!;
            // Each visitor's own conversation, for the follow-ups.
            using var first = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(new { message = questions[i % questions.Length], stream = false }) };
            first.Headers.Add("Origin", shop);
            first.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var answered = await http.SendAsync(first);
            var a = await answered.Content.ReadAsStringAsync();
            if (!answered.IsSuccessStatusCode) throw new InvalidOperationException($"first message: {(int)answered.StatusCode} {a}");
            tokens.Add(token);
            conversations.Add((string)JsonNode.Parse(a)!["conversation_id"]!);
        }
        var script = Wrk.WidgetScript(path, shop, tokens, conversations, questionCount <= questions.Length ? questions[..questionCount] : questions,
            followUpEvery, unique);
        Console.WriteLine($"widget messages with wrk: {connections} connections, {visitors} visitors, {Math.Min(questionCount, questions.Length)} rotating questions{(unique ? " made unique" : "")}, " +
            $"{(followUpEvery > 0 ? $"every {followUpEvery}th a follow-up" : "no follow-ups")}, {seconds} s (+{warmup} s warm-up)");
        await Wrk.CompareAsync(baseUri.ToString().TrimEnd('/'), bareUrl, script, connections, warmup, seconds, RegistryCpu, "message");
    }
    if (phases.Contains("webhooks-wrk"))
    {
        var token = opt.Get("webhook-token", Environment.GetEnvironmentVariable("WALDUR_WEBHOOK_TOKEN") ?? "");
        if (token.Length == 0) { Console.Error.WriteLine("--webhook-token: the registry's Waldur:Webhooks:Token"); return 2; }
        var script = Wrk.WebhookScript("/webhooks/waldur/order/", token);
        Console.WriteLine($"webhooks with wrk: {connections} connections, order-created events with distinct order ids, {seconds} s (+{warmup} s warm-up)");
        await Wrk.CompareAsync(baseUri.ToString().TrimEnd('/'), bareUrl, script, connections, warmup, seconds, RegistryCpu, "event");
    }
    await bare.StopAsync();
}

Console.WriteLine($"done at {DateTime.UtcNow:u}; load average {LoadAverage()}");
await upstream.StopAsync();
return 0;

// utime + stime of the registry process, in seconds (the kernel counts in 1/100 s ticks).
double RegistryCpu()
{
    if (registryPid <= 0) return double.NaN;
    try
    {
        var stat = File.ReadAllText($"/proc/{registryPid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11]) + long.Parse(fields[12])) / 100.0;
    }
    catch (IOException) { return double.NaN; }
}

void PrintCpu(double before, ClosedLoop result)
{
    var used = RegistryCpu() - before;
    if (double.IsNaN(used) || result.All == 0) return;
    Console.WriteLine($"  registry CPU {used:F2} s for the phase's {result.All} requests (warm-up included): {used * 1000 / result.All:F2} ms per request");
}

static string Trunc(string s) => s.Length > 200 ? s[..200] : s;
static double P(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p / 100 * sorted.Length) - 1)];
static string LoadAverage() { try { return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); } catch { return "?"; } }

sealed class ClosedLoop
{
    public List<double> Latencies { get; } = [];
    public List<double> Extra { get; } = [];
    public long Failures;
    public long Late;
    /// <summary>Responses (ok or not) that ended inside the window, whenever they started: the throughput.</summary>
    public long Completed;
    /// <summary>Every request that ended, warm-up and late ones included (for CPU per request).</summary>
    public long All;
    public ConcurrentDictionary<string, int> Errors { get; } = new();
    public double Seconds;

    public static async Task<ClosedLoop> RunAsync(string name, int workers, int warmupSeconds, int seconds, Func<Task<(bool Ok, string? Error, double Extra)>> once)
    {
        var result = new ClosedLoop();
        var measuring = false;
        var stop = false;
        var perWorker = new (List<double> Lat, List<double> Extra)[workers];
        async Task Worker(int i)
        {
            var lat = new List<double>(4096); var extra = new List<double>(1024);
            perWorker[i] = (lat, extra);
            while (!Volatile.Read(ref stop))
            {
                var counted = Volatile.Read(ref measuring);
                var t = Stopwatch.GetTimestamp();
                bool ok; string? error; double x;
                try { (ok, error, x) = await once(); }
                catch (Exception e) { ok = false; error = e.GetType().Name + ": " + e.Message; x = 0; }
                var ms = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
                Interlocked.Increment(ref result.All);
                if (Volatile.Read(ref measuring) && !Volatile.Read(ref stop)) Interlocked.Increment(ref result.Completed);
                // A request started in the window counts even if it ends after the stop (slow failures must show).
                if (!counted) continue;
                if (Volatile.Read(ref stop)) Interlocked.Increment(ref result.Late);
                if (ok) { lat.Add(ms); extra.Add(x); }
                else { Interlocked.Increment(ref result.Failures); result.Errors.AddOrUpdate(error ?? "?", 1, (_, c) => c + 1); }
            }
        }
        var tasks = Enumerable.Range(0, workers).Select(i => Task.Run(() => Worker(i))).ToArray();
        await Task.Delay(TimeSpan.FromSeconds(warmupSeconds));
        var sw = Stopwatch.StartNew();
        Volatile.Write(ref measuring, true);
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        Volatile.Write(ref stop, true);
        result.Seconds = sw.Elapsed.TotalSeconds;
        await Task.WhenAll(tasks);
        foreach (var (l, e) in perWorker) { result.Latencies.AddRange(l); result.Extra.AddRange(e); }
        return result;
    }

    public void Print(string title)
    {
        var a = Latencies.ToArray(); Array.Sort(a);
        static double P(double[] s, double p) => s.Length == 0 ? double.NaN : s[Math.Min(s.Length - 1, (int)Math.Ceiling(p / 100 * s.Length) - 1)];
        Console.WriteLine(title);
        Console.WriteLine($"  {a.Length} ok, {Failures} failed in {Seconds:F1} s (+{Late} finished after the stop): {Completed / Seconds:F0} req/s (responses ended in the window); latency of the requests started in it p50/p95/p99/max: {P(a, 50):F1} / {P(a, 95):F1} / {P(a, 99):F1} / {(a.Length > 0 ? a[^1] : double.NaN):F1} ms");
        foreach (var (e, c) in Errors.OrderByDescending(x => x.Value).Take(5)) Console.WriteLine($"  failure x{c}: {e}");
    }
}

sealed class Args(Dictionary<string, string> values)
{
    public static Args Parse(string[] args)
    {
        var d = new Dictionary<string, string>();
        for (var i = 0; i < args.Length; i++)
            if (args[i].StartsWith("--")) d[args[i][2..]] = i + 1 < args.Length && !args[i + 1].StartsWith("--") ? args[++i] : "true";
        return new Args(d);
    }
    public string Get(string k, string def) => values.TryGetValue(k, out var v) ? v : def;
    public int Int(string k, int def) => values.TryGetValue(k, out var v) && int.TryParse(v, out var i) ? i : def;
}
