using AgentRegistry.Chat;
using AgentRegistry.Knowledge;
using AgentRegistry.Waldur;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using AgentRegistry.Infrastructure;
using AgentRegistry.Tests.Infrastructure;
using AgentRegistry.Tests.Knowledge;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentRegistry.Tests.Security;

/// <summary>Bodies a parser cannot read, or that are larger than their bounds, get a 400/413 with a type and change nothing.</summary>
public abstract class MalformedBodyTests(RegistryApp app) : RegistryTest(app)
{
    private async Task<T> WithDbAsync<T>(Func<RegistryDb, Task<T>> work)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RegistryDb>();
        db.Caller.AsSystem();
        return await work(db);
    }

    private Task<int> MessagesOfAsync(string accessId) => WithDbAsync(db =>
        db.Messages.CountAsync(m => db.Set<Conversation>().Any(c => c.Id == m.ConversationId && c.AccessId == Guid.Parse(accessId))));

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    public static TheoryData<string> WrongNodeTypes => new()
    {
        """{"model": "M", "messages": [{"role": "user", "content": 42}]}""",
        """{"model": "M", "messages": [{"role": "user", "content": {"text": "hi"}}]}""",
        """{"model": "M", "messages": [{"role": "user", "content": [7, "x"]}]}""",
        """{"model": "M", "messages": [{"role": "user", "content": [{"type": "text", "text": 5}]}]}""",
        """{"model": "M", "messages": [{"role": "user", "content": [{"type": 1}]}]}""",
        """{"model": "M", "messages": [{"role": 3, "content": "hi"}]}""",
        """{"model": "M", "messages": [{"role": "user", "content": "hi"}], "stream": "yes"}""",
        """{"model": "M", "messages": [{"role": "user", "content": "hi"}], "stream_options": "include_usage"}""",
        """{"model": "M", "messages": [{"role": "user", "content": "hi"}], "stream": true, "stream_options": [true]}""",
        """{"model": "M", "messages": [{"role": "user", "content": "\ud800 lone surrogate"}]}""",
        """{"model": ["M"], "messages": [{"role": "user", "content": "hi"}]}""",
        """{"model": "M", "messages": {"role": "user", "content": "hi"}}""",
    };

    [Theory]
    [MemberData(nameof(WrongNodeTypes))]
    public async Task CompletionsWithWrongJsonNodeTypesAnswer400AndStoreNothing(string body)
    {
        var t = await App.TenantAsync(await Op());
        var response = await t.Key.PostAsync("/v1/chat/completions", Json(body.Replace("\"M\"", $"\"{t.Seeded.AgentSlug}\"")));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(400 == (int)response.StatusCode, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("invalid_request_error", (string?)JsonNode.Parse(text)!["error"]!["type"]);
        Assert.Equal(0, await MessagesOfAsync(t.Seeded.AccessId));
    }

    [Fact]
    public async Task ChatWithWrongJsonTypesAnswers400WithAProblemType()
    {
        var t = await App.TenantAsync(await Op());
        foreach (var body in new[] { """{"message": 12}""", """{"message": "hi", "stream": "no"}""", """{"message": ["hi"]}""" })
        {
            var problem = await t.Key.PostAsync("/api/v1/chat", Json(body)).Problem(400);
            Assert.StartsWith("/problems/", (string?)problem["type"]);
        }
        Assert.Equal(0, await MessagesOfAsync(t.Seeded.AccessId));
    }

    [Fact]
    public async Task AWebhookWithInvalidUnicodeAnswers400AndIsNotStored()
    {
        var before = await WithDbAsync(db => db.WebhookEvents.CountAsync());
        var lone = """{"event_type": "marketplace_order_created\ud800", "created": "2026-11-02T10:00:00Z", "context": {"order_uuid": "3d2f4c6e9b8a4f1e8c7d6b5a4e3f2d1c"}}""";
        var response = await App.Anonymous().PostAsync("/webhooks/waldur/order/", Json(lone));
        Assert.Equal(400, (int)response.StatusCode);
        var bytes = Encoding.UTF8.GetBytes("""{"event_type": "marketplace_order_created", "context": {"order_uuid": "X"}}""");
        bytes[^4] = 0xFF; // inside a string, and not UTF-8
        var invalid = new ByteArrayContent(bytes);
        invalid.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        await App.Anonymous().PostAsync("/webhooks/waldur/order/", invalid).Problem(400, "webhook-malformed");
        Assert.Equal(before, await WithDbAsync(db => db.WebhookEvents.CountAsync()));
    }

    [Fact]
    public async Task AMultipartUploadCutOffBeforeItsClosingBoundaryAnswers400AndStoresNothing()
    {
        var t = await App.TenantAsync(await Op());
        const string boundary = "cut-here-7f3a";
        var body = $"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"notes.txt\"\r\nContent-Type: text/plain\r\n\r\n"
            + "The depot opens at nine on weekdays.\r\n";
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={boundary}");
        var problem = await t.Member.PostAsync(t.Documents, content).Problem(400);
        Assert.Equal("/problems/malformed-multipart", (string?)problem["type"]);
        Assert.Equal(0, await WithDbAsync(db => db.TrainingDocuments.CountAsync(d => d.AccessId == Guid.Parse(t.Seeded.AccessId))));
    }

    [Fact]
    public async Task AHugeSystemMessageIsRefusedWith413BeforeAnyWork()
    {
        var t = await App.TenantAsync(await Op());
        var huge = new string('a', 300_000);
        var response = await t.Key.PostAsync("/v1/chat/completions", Json(new JsonObject
        {
            ["model"] = t.Seeded.AgentSlug,
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "system", ["content"] = huge }, new JsonObject { ["role"] = "user", ["content"] = "hi" }),
        }.ToJsonString()));
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal(413, (int)response.StatusCode);
        Assert.Equal("message-too-long", (string?)error["code"]);
        Assert.Equal(0, await MessagesOfAsync(t.Seeded.AccessId));
    }

    [Fact]
    public async Task TooManyMessagesOrTooMuchTextInOneRequestIs413()
    {
        var t = await App.TenantAsync(await Op());
        JsonObject Request(int count, int chars) => new()
        {
            ["model"] = t.Seeded.AgentSlug,
            ["messages"] = new JsonArray(Enumerable.Range(0, count)
                .Select(i => (JsonNode)new JsonObject { ["role"] = i % 2 == 0 ? "user" : "assistant", ["content"] = new string('b', chars) })
                .Append(new JsonObject { ["role"] = "user", ["content"] = "and now?" }).ToArray()),
        };
        foreach (var request in new[] { Request(200, 5), Request(20, 7_000) })
        {
            var response = await t.Key.PostAsync("/v1/chat/completions", Json(request.ToJsonString()));
            Assert.Equal(413, (int)response.StatusCode);
            Assert.Equal("request-too-large", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["code"]);
        }
        // The same bound applies on the registry's own chat API, as a problem naming the field.
        var problem = await t.Key.PostJson("/api/v1/chat", new { message = new string('c', 8_001) }).Problem(413, "message-too-long");
        Assert.NotNull(problem["errors"]!["message"]);
        // A body over the request limit is refused before it is read.
        // Expect: 100-continue, so the client waits for the refusal instead of racing it with the upload (broken pipe).
        using var oversized = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = Json(new string(' ', 1_100_000) + "{}") };
        oversized.Headers.ExpectContinue = true;
        var big = await t.Key.SendAsync(oversized);
        Assert.Equal(413, (int)big.StatusCode);
        Assert.Equal(0, await MessagesOfAsync(t.Seeded.AccessId));
    }

    [Fact]
    public async Task AOneWordDocumentOf100KbIsIndexed()
    {
        var t = await App.TenantAsync(await Op());
        var word = string.Concat(Enumerable.Repeat("supercalifragilistic", 5_000));
        var doc = await t.TrainAsync(Encoding.UTF8.GetBytes(word), "word.txt");
        Assert.True((int)doc["chunk_count"]! > 1);
    }
}

public sealed class MalformedBodiesOnSqlite(RegistryApp<Sqlite> app) : MalformedBodyTests(app), IClassFixture<RegistryApp<Sqlite>>;

public sealed class MalformedBodiesOnPostgres(RegistryApp<Postgres> app) : MalformedBodyTests(app), IClassFixture<RegistryApp<Postgres>>;

/// <summary>Document processing over its time budget fails with the reason in words.</summary>
public abstract class ProcessingBudgetTests(RegistryApp app) : RegistryTest(app)
{
    [Fact]
    public async Task ADocumentOverTheProcessingBudgetFailsWithTheReasonInWords()
    {
        var t = await App.TenantAsync(await Op());
        var doc = await t.Member.UploadAsync(t.Documents, Encoding.UTF8.GetBytes("The depot opens at nine on weekdays."), "depot.txt").Created();
        var failed = await t.WaitAsync(doc.Id(), "failed");
        Assert.Equal("processing-over-budget", (string?)failed["failure_code"]);
        Assert.Contains("longer than the budget", (string?)failed["failure_reason"]);
        Assert.Equal(0, (int)failed["chunk_count"]!);
    }
}

public sealed class TinyBudgetRegistry<TDatabase> : RegistryApp<TDatabase> where TDatabase : TestDatabase, new()
{
    protected override void Configure(IDictionary<string, string?> settings) => settings["Knowledge:ProcessingBudget"] = "00:00:00.0000001";
}

public sealed class ProcessingBudgetOnSqlite(TinyBudgetRegistry<Sqlite> app) : ProcessingBudgetTests(app), IClassFixture<TinyBudgetRegistry<Sqlite>>;

public sealed class ProcessingBudgetOnPostgres(TinyBudgetRegistry<Postgres> app) : ProcessingBudgetTests(app), IClassFixture<TinyBudgetRegistry<Postgres>>;
