using AgentRegistry.Chat;
using AgentRegistry.Knowledge;
using AgentRegistry.Metering;
using AgentRegistry.Waldur;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using AgentRegistry.Access;
using AgentRegistry.Infrastructure;
using AgentRegistry.Tests.Infrastructure;
using AgentRegistry.Tests.Knowledge;
using CsCheck;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentRegistry.Tests.Security;

/// <summary>Generators of hostile input: odd text, JSON of every shape, bytes.</summary>
internal static class Hostile
{
    private static readonly string[] Odd =
    [
        "", " ", "\0", "\ud800", "\udc00x", "😀", "\u202e", "a\r\nb", "\\", "\"", "{}", "[]", "null", "<script>alert(1)</script>",
        new string('w', 20_000), string.Concat(Enumerable.Repeat("é", 3000)), "%00", "../../etc/passwd", "ar_live_", "💥💥💥",
    ];

    public static readonly Gen<string> Text = Gen.Frequency(
        (3, Gen.String[0, 40]),
        (2, Gen.OneOf(Odd)),
        (1, Gen.Char.Array[0, 2000].Select(c => new string(c))));

    /// <summary>A JSON string literal; unpaired surrogates and control characters escaped as \uXXXX, as a hostile client may.</summary>
    public static string Quote(string s)
    {
        var b = new StringBuilder("\"");
        foreach (var c in s)
            b.Append(c is '"' or '\\' || c < ' ' || char.IsSurrogate(c) ? $"\\u{(int)c:x4}" : c.ToString());
        return b.Append('"').ToString();
    }

    public static Gen<string> Value(int depth, params string[] names)
    {
        var scalar = Gen.OneOf(
            Gen.OneOf("null", "true", "false", "0", "-1", "1e400", "-0", "1.5", "9223372036854775808", "12345678901234567890123"),
            Gen.Long.Select(l => l.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            Text.Select(Quote));
        if (depth == 0) return scalar;
        var inner = Value(depth - 1, names);
        var key = names.Length == 0 ? Text.Select(Quote) : Gen.Frequency((3, Gen.OneOf(names).Select(Quote)), (1, Text.Select(Quote)));
        return Gen.Frequency(
            (3, scalar),
            (1, inner.Array[0, 4].Select(a => "[" + string.Join(",", a) + "]")),
            (2, Gen.Select(key, inner).Array[0, 5].Select(p => "{" + string.Join(",", p.Select(x => x.Item1 + ":" + x.Item2)) + "}")));
    }

    /// <summary>Mostly JSON of the expected shape with wrong parts, sometimes any JSON, sometimes not JSON at all.</summary>
    public static Gen<byte[]> Body(Gen<string> shaped, params string[] names) => Gen.Frequency(
        (6, shaped.Select(Encoding.UTF8.GetBytes)),
        (2, Value(3, names).Select(Encoding.UTF8.GetBytes)),
        (1, Gen.Byte.Array[0, 600]));
}

/// <summary>
/// Property-based tests over real HTTP: for generated hostile input at every parser and input boundary, the registry
/// never answers 5xx, never stores part of a refused request, and answers within a generous deadline (the input size is
/// bounded). Figures (requests tried per run) are in docs/security.md.
/// </summary>
public abstract class PropertyTests(RegistryApp app) : RegistryTest(app)
{
    internal const int Iterations = 40;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private HttpClient Client(string? bearer = null)
    {
        var client = App.Anonymous();
        client.Timeout = Deadline;
        if (bearer is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return client;
    }

    private static ByteArrayContent Json(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private async Task<long> CountAsync(Func<RegistryDb, Task<int>> count)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RegistryDb>();
        db.Caller.AsSystem();
        return await count(db);
    }

    private static void NoServerError(HttpResponseMessage response, string what) =>
        Assert.True((int)response.StatusCode < 500, $"{(int)response.StatusCode} for {what}");

    /// <summary>
    /// Sends one generated request and checks the properties: no 5xx, and a refused request changes nothing while an
    /// accepted one writes exactly what <paramref name="written"/> says it should.
    /// </summary>
    private async Task<HttpResponseMessage> ExpectAsync(Func<RegistryDb, Task<int>> count, Func<Task<HttpResponseMessage>> send, string what,
        Func<HttpResponseMessage, string, int> written)
    {
        var before = await CountAsync(count);
        var response = await send();
        NoServerError(response, what);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(response.IsSuccessStatusCode ? before + written(response, text) : before, await CountAsync(count));
        return response;
    }

    private static Task Sample<T>(Gen<T> gen, Func<T, Task> property) => gen.SampleAsync(property, iter: Iterations, threads: 1);

    private Task<int> MessagesAsync(RegistryDb db, Guid access) =>
        db.Messages.CountAsync(m => db.Set<Conversation>().Any(c => c.Id == m.ConversationId && c.AccessId == access));

    [Fact]
    public async Task OpenAiCompatibleRequests()
    {
        var t = await App.TenantAsync(await Op());
        var access = Guid.Parse(t.Seeded.AccessId);
        var client = Client(t.KeyText);
        var role = Gen.Frequency((4, Gen.OneOf("user", "assistant", "system", "developer", "tool").Select(Hostile.Quote)), (1, Hostile.Value(1)));
        var content = Gen.Frequency((4, Hostile.Text.Select(Hostile.Quote)), (2, Hostile.Value(2, "type", "text")));
        var message = Gen.Select(role, content, (r, c) => $$"""{"role":{{r}},"content":{{c}}}""");
        var request = Gen.Select(message.Array[0, 6], Hostile.Value(1), Hostile.Value(1, "include_usage"),
            Gen.Frequency((5, Gen.Const(Hostile.Quote(t.Seeded.AgentSlug))), (1, Hostile.Value(1))),
            (m, stream, options, model) => $$"""{"model":{{model}},"messages":[{{string.Join(",", m)}}],"stream":{{stream}},"stream_options":{{options}}}""");
        await Sample(Hostile.Body(request, "model", "messages", "stream", "stream_options"), body =>
            ExpectAsync(db => MessagesAsync(db, access), () => client.PostAsync("/v1/chat/completions", Json(body)), Encoding.UTF8.GetString(body), (_, _) => 2));
    }

    [Fact]
    public async Task ChatRequests()
    {
        var t = await App.TenantAsync(await Op());
        var access = Guid.Parse(t.Seeded.AccessId);
        var client = Client(t.KeyText);
        var shaped = Gen.Select(Hostile.Text, Hostile.Value(1), Hostile.Value(0),
            (m, c, s) => $$"""{"message":{{Hostile.Quote(m)}},"conversation_id":{{c}},"stream":{{s}}}""");
        await Sample(Hostile.Body(shaped, "message", "conversation_id", "stream"), body =>
            ExpectAsync(db => MessagesAsync(db, access), () => client.PostAsync("/api/v1/chat", Json(body)), Encoding.UTF8.GetString(body), (_, _) => 2));
    }

    [Fact]
    public async Task WidgetMessages()
    {
        var t = await App.TenantAsync(await Op());
        var access = Guid.Parse(t.Seeded.AccessId);
        const string shop = "https://shop.example.com";
        var widget = await t.Member.PostJson($"/api/v1/accesses/{t.Seeded.AccessId}/widgets", new { name = "Shop", allowed_origins = new[] { shop } }).Created();
        var key = (string)widget["key"]!;
        var init = new HttpRequestMessage(HttpMethod.Get, $"/api/widget/v1/{key}/init");
        init.Headers.Add("Origin", shop);
        var token = (string)(await Client().SendAsync(init).Json200())["visitor_token"]!;
        var shaped = Gen.Select(Hostile.Text, Hostile.Value(0), (m, s) => $$"""{"message":{{Hostile.Quote(m)}},"stream":{{s}}}""");
        var tokens = Gen.Frequency((5, Gen.Const(token)), (1, Hostile.Text.Where(x => x.All(c => c is > ' ' and < '\u007f'))));
        await Sample(Gen.Select(Hostile.Body(shaped, "message", "conversation_id", "stream"), tokens), async pair =>
        {
            var (body, bearer) = pair;
            var request = new HttpRequestMessage(HttpMethod.Post, $"/api/widget/v1/{key}/messages") { Content = Json(body) };
            request.Headers.Add("Origin", shop);
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + bearer);
            await ExpectAsync(db => MessagesAsync(db, access), () => Client().SendAsync(request), Encoding.UTF8.GetString(body), (_, _) => 2);
        });
    }

    [Fact]
    public async Task UsageBatches()
    {
        var op = await Op();
        var seeded = await op.SubscribedTenantAsync();
        var access = Guid.Parse(seeded.AccessId);
        var client = Client(await op.IssueKeyAsync(seeded.AccessId, "usage:write"));
        var now = StopClockAt(TestDates.MonthEnd);
        var at = Gen.Frequency((4, Gen.Int[-3000, 10].Select(m => Hostile.Quote(now.AddMinutes(m).ToString("O")))), (1, Hostile.Value(0)));
        var quantity = Gen.Frequency((3, Gen.Long[0, 1000].Select(q => q.ToString(System.Globalization.CultureInfo.InvariantCulture))),
            (2, Gen.OneOf("-1", "1.5", "1e300", "9223372036854775807", "1000000000001", "\"7\"", "null", "1000000000000")));
        var metric = Gen.Frequency((4, Gen.OneOf("messages", "input_tokens", "output_tokens").Select(Hostile.Quote)), (1, Hostile.Value(0)));
        var id = Gen.Frequency((4, Gen.Int[0, 30].Select(i => Hostile.Quote($"e-{i}"))), (1, Hostile.Value(0)));
        var ev = Gen.Select(id, metric, quantity, at, (i, m, q, a) => $$"""{"id":{{i}},"metric":{{m}},"quantity":{{q}},"occurred_at":{{a}}}""");
        var shaped = ev.Array[0, 12].Select(e => $$"""{"events":[{{string.Join(",", e)}}]}""");
        await Sample(Hostile.Body(shaped, "events", "id", "quantity"), body =>
            ExpectAsync(db => db.UsageRecords.CountAsync(u => u.AccessId == access), () => client.PostAsync("/api/v1/usage/events", Json(body)),
                Encoding.UTF8.GetString(body), (_, text) => (int)JsonNode.Parse(text)!["accepted"]!));
    }

    [Fact]
    public async Task WebhookBodiesAndSignatures()
    {
        var events = Gen.Select(Gen.OneOf("marketplace_order_created", "customer_update_succeeded", "").Select(Hostile.Quote),
            Hostile.Value(2, "order_uuid", "customer_uuid"), Hostile.Text,
            (type, context, n) => $$"""{"event_type":{{type}},"created":{{Hostile.Quote(n)}},"context":{{context}}}""");
        var signature = Gen.Frequency((4, Gen.Bool.Select(_ => (string?)null)),
            (1, Hostile.Text.Select(s => (string?)new string([.. s.Where(c => c is >= ' ' and < '\u007f')]))));
        await Sample(Gen.Select(Hostile.Body(events, "event_type", "context", "type"), signature, Gen.Bool), async sample =>
        {
            var (body, forged, token) = sample;
            var id = $"msg_{Guid.NewGuid():N}";
            var ts = App.Clock.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
            var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/waldur/order/") { Content = Json(body) };
            if (token) request.Headers.Add("X-Webhook-Token", FuzzSettings.WebhookToken);
            request.Headers.Add("webhook-id", id);
            request.Headers.Add("webhook-timestamp", ts);
            byte[] payload = [.. Encoding.UTF8.GetBytes($"{id}.{ts}."), .. body];
            var signed = "v1," + Convert.ToBase64String(HMACSHA256.HashData(AgentRegistry.Waldur.WebhookGuard.SecretBytes(FuzzSettings.SigningSecret), payload));
            request.Headers.TryAddWithoutValidation("webhook-signature", forged ?? signed);
            var response = await ExpectAsync(db => db.WebhookEvents.CountAsync(), () => Client().SendAsync(request), Encoding.UTF8.GetString(body),
                (r, text) => (int)r.StatusCode == 202 && !JsonNode.Parse(text)!["duplicate"]!.GetValue<bool>() ? 1 : 0);
            if (!token || forged is not null) Assert.False(response.IsSuccessStatusCode);
        });
    }

    [Fact]
    public async Task ApiKeyHeaders()
    {
        var t = await App.TenantAsync(await Op());
        var header = Gen.Frequency(
            (3, Hostile.Text.Select(s => "Bearer " + s)),
            (3, Gen.Select(Gen.Int[0, ApiKeyFormat.Length - 1], Gen.Char["0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_ -"], (i, c) =>
                "Bearer " + t.KeyText[..i] + c + t.KeyText[(i + 1)..])),
            (1, Gen.Int[0, ApiKeyFormat.Length].Select(n => "Bearer " + t.KeyText[..n])),
            (1, Hostile.Text));
        await Sample(header, async value =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "/v1/models");
            if (!request.Headers.TryAddWithoutValidation("Authorization", value)) return;
            HttpResponseMessage response;
            try { response = await Client().SendAsync(request); }
            catch (HttpRequestException) { return; } // a header the client itself refuses to send (control characters)
            NoServerError(response, value);
            if ((int)response.StatusCode == 200) Assert.Equal("Bearer " + t.KeyText, value.Trim());
        });
        // The format check itself never throws, whatever the text.
        Gen.String[0, 80].Sample(s => { _ = ApiKeyFormat.Check(s); }, iter: 2000);
    }

    [Fact]
    public async Task DocumentUploads()
    {
        var t = await App.TenantAsync(await Op());
        var access = Guid.Parse(t.Seeded.AccessId);
        var name = Gen.OneOf("a.txt", "a.md", "a.html", "a.csv", "a.pdf", "a.docx", "a", "a.exe", "..\\..\\a.txt", "r\u00e9sum\u00e9 (1).pdf");
        var bytes = Gen.Frequency(
            (2, Gen.Byte.Array[0, 3000]),
            (2, Hostile.Text.Select(Encoding.UTF8.GetBytes)),
            (1, Gen.Select(Gen.OneOf("%PDF-1.4\n", "PK\u0003\u0004", "<html><body>", "\ufeff"), Gen.Byte.Array[0, 2000],
                (head, tail) => (byte[])[.. Encoding.UTF8.GetBytes(head), .. tail])));
        await Sample(Gen.Select(bytes, name, Gen.Bool), async sample =>
        {
            var (content, file, cut) = sample;
            HttpContent body;
            if (cut)
            {
                const string boundary = "fuzz-boundary";
                var raw = Encoding.UTF8.GetBytes($"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file}\"\r\n\r\n");
                body = new ByteArrayContent([.. raw, .. content]);
                body.Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={boundary}");
            }
            else body = new MultipartFormDataContent { { new ByteArrayContent(content), "file", file } };
            await ExpectAsync(db => db.TrainingDocuments.CountAsync(d => d.AccessId == access),
                () => t.Member.SendAsync(new HttpRequestMessage(HttpMethod.Post, t.Documents) { Content = body }), file, (r, _) => (int)r.StatusCode == 201 ? 1 : 0);
        });
    }
}

internal static class FuzzSettings
{
    public const string WebhookToken = "fuzz-webhook-token";
    public static readonly string SigningSecret = "whsec_" + Convert.ToBase64String(Encoding.UTF8.GetBytes("fuzz-signing-secret-0123456789"));

    public static void Apply(IDictionary<string, string?> settings)
    {
        settings["Waldur:Webhooks:Token"] = WebhookToken;
        settings["Waldur:Webhooks:SigningSecrets:0"] = SigningSecret;
        settings["Widget:VisitorMessagesPerMinute"] = "10000";
        settings["Widget:WidgetMessagesPerMinute"] = "10000";
        settings["ApiKeys:RequestsPerMinute"] = "100000";
    }
}

public sealed class FuzzRegistry<TDatabase> : RegistryApp<TDatabase> where TDatabase : TestDatabase, new()
{
    protected override void Configure(IDictionary<string, string?> settings) => FuzzSettings.Apply(settings);
}

public sealed class PropertiesOnSqlite(FuzzRegistry<Sqlite> app) : PropertyTests(app), IClassFixture<FuzzRegistry<Sqlite>>;

public sealed class PropertiesOnPostgres(FuzzRegistry<Postgres> app) : PropertyTests(app), IClassFixture<FuzzRegistry<Postgres>>;
