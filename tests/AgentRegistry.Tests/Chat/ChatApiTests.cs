using AgentRegistry.Chat;
using AgentRegistry.Metering;
using System.ClientModel;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using AgentRegistry.Infrastructure;
using AgentRegistry.Tests.Infrastructure;
using AgentRegistry.Tests.Knowledge;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenAI;
using OpenAI.Chat;

namespace AgentRegistry.Tests.Chat;

public abstract class ChatApiTests(RegistryApp app, FakeUpstream upstream) : RegistryTest(app)
{
    private const string Fact = "Our support hotline is open from 8 am to 6 pm, Monday to Friday.";

    private async Task<Trained> TrainedAsync()
    {
        var t = await App.TenantAsync(await Op());
        await t.TrainAsync(Encoding.UTF8.GetBytes(Fact), "hours.txt");
        return t;
    }

    private static async Task<List<(string Event, JsonNode Data)>> ReadEvents(HttpResponseMessage response)
    {
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = new List<(string, JsonNode)>();
        var name = "";
        foreach (var line in (await response.Content.ReadAsStringAsync()).Split('\n'))
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal)) name = line[7..];
            else if (line.StartsWith("data: ", StringComparison.Ordinal)) events.Add((name, JsonNode.Parse(line[6..])!));
        }
        return events;
    }

    private async Task<RegistryDb> SystemDb(AsyncServiceScope scope)
    {
        var db = scope.ServiceProvider.GetRequiredService<RegistryDb>();
        db.Caller.AsSystem();
        return await Task.FromResult(db);
    }

    [Fact]
    public async Task StreamedAnswerIsServerSentDeltasThenDoneWithIdsAndUsage()
    {
        var t = await TrainedAsync();
        var response = await t.Key.PostJson("/api/v1/chat", new { message = "When is the support hotline open?", stream = true });
        var events = await ReadEvents(response);
        Assert.True(events.Count >= 3);
        Assert.All(events[..^1], e => Assert.Equal("delta", e.Event));
        var text = string.Concat(events[..^1].Select(e => (string?)e.Data["text"]));
        Assert.Contains("8 am to 6 pm", text);
        var (done, data) = events[^1];
        Assert.Equal("done", done);
        Assert.NotNull((string?)data["conversation_id"]);
        Assert.NotNull((string?)data["message_id"]);
        Assert.Equal("hours", (string?)data["citations"]![0]!["title"]);
        Assert.True((long?)data["usage"]!["input_tokens"] > 0);
        Assert.True((long?)data["usage"]!["output_tokens"] > 0);
    }

    [Fact]
    public async Task ConversationContinuesAndUsageIsRecordedOncePerAnswer()
    {
        var t = await TrainedAsync();
        var first = await t.AskAsync("When is the support hotline open?");
        var conversation = (string)first["conversation_id"]!;
        var second = await t.AskAsync("Is the hotline open on Monday?", conversation);
        Assert.Equal(conversation, (string?)second["conversation_id"]);

        await using var scope = App.Services.CreateAsyncScope();
        var db = await SystemDb(scope);
        var id = Guid.Parse(conversation);
        Assert.Equal(["user", "assistant", "user", "assistant"],
            await db.Messages.Where(m => m.ConversationId == id).OrderBy(m => m.CreatedAt).Select(m => m.Role).ToListAsync());
        var access = Guid.Parse(t.Seeded.AccessId);
        var usage = await db.UsageRecords.Where(u => u.AccessId == access).ToListAsync();
        Assert.Equal(6, usage.Count);
        Assert.Equal(6, usage.Select(u => u.IdempotencyKey).Distinct().Count());
        Assert.Equal(2, usage.Where(u => u.Metric == "messages").Sum(u => u.Quantity));
        var answer = Guid.Parse((string)second["message_id"]!);
        Assert.Equal((long)second["usage"]!["output_tokens"]!,
            usage.Single(u => u.Metric == "output_tokens" && u.IdempotencyKey.Contains(answer.ToString("N"))).Quantity);
    }

    [Fact]
    public async Task ConversationOfAnotherTenantIsNotFound()
    {
        var mine = await TrainedAsync();
        var theirs = await App.TenantAsync(await Op());
        var conversation = (string)(await mine.AskAsync("When is the support hotline open?"))["conversation_id"]!;
        await theirs.Key.PostJson("/api/v1/chat", new { message = "hello", conversation_id = conversation }).Problem(404);
    }

    [Fact]
    public async Task BadMessagesAreClearProblemsAndStoreNothing()
    {
        var t = await App.TenantAsync(await Op());
        await t.Key.PostJson("/api/v1/chat", new { message = "  " }).Problem(422, "validation");
        await t.Key.PostJson("/api/v1/chat", new { message = new string('x', 9_000) }).Problem(413, "message-too-long");
        await t.Key.PostJson("/api/v1/chat", new { message = new string('x', 1024 * 1024) }).Problem(413, "payload-too-large");
        await t.Key.PostJson("/api/v1/chat", new { message = "hi", conversation_id = "not-a-guid" }).Problem(400);
        await using var scope = App.Services.CreateAsyncScope();
        var db = await SystemDb(scope);
        var access = Guid.Parse(t.Seeded.AccessId);
        Assert.False(await db.Conversations.AnyAsync(c => c.AccessId == access));
        Assert.False(await db.UsageRecords.AnyAsync(u => u.AccessId == access));
    }

    [Fact]
    public async Task OpenAiClientCompletesAndStreamsWithUsage()
    {
        var t = await TrainedAsync();
        var client = new ChatClient(model: t.Seeded.AgentSlug, credential: new ApiKeyCredential(t.KeyText),
            options: new OpenAIClientOptions { Endpoint = new Uri(App.BaseAddress, "/v1") });

        ChatCompletion completion = await client.CompleteChatAsync([new UserChatMessage("When is the support hotline open?")]);
        Assert.Contains("8 am to 6 pm", completion.Content[0].Text);
        Assert.True(completion.Usage.InputTokenCount > 0);
        Assert.True(completion.Usage.OutputTokenCount > 0);

        var text = new StringBuilder();
        ChatTokenUsage? usage = null;
        await foreach (var update in client.CompleteChatStreamingAsync([new UserChatMessage("When is the support hotline open?")]))
        {
            foreach (var part in update.ContentUpdate) text.Append(part.Text);
            usage ??= update.Usage;
        }
        Assert.Contains("8 am to 6 pm", text.ToString());
        Assert.NotNull(usage);
        Assert.True(usage.OutputTokenCount > 0);

        var wrongModel = await Assert.ThrowsAsync<ClientResultException>(() =>
            new ChatClient("someone-else", new ApiKeyCredential(t.KeyText), new OpenAIClientOptions { Endpoint = new Uri(App.BaseAddress, "/v1") })
                .CompleteChatAsync([new UserChatMessage("hi")]));
        Assert.Equal(404, wrongModel.Status);
    }

    [Fact]
    public async Task StreamingCompletionIsInOpenAiChunkFormat()
    {
        var t = await TrainedAsync();
        var response = await t.Key.PostAsJsonAsync("/v1/chat/completions", new
        {
            model = t.Seeded.AgentSlug, stream = true, stream_options = new { include_usage = true },
            messages = new[] { new { role = "user", content = "When is the support hotline open?" } },
        });
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n').Where(l => l.StartsWith("data: ", StringComparison.Ordinal)).Select(l => l[6..]).ToList();
        Assert.Equal("[DONE]", lines[^1]);
        var chunks = lines[..^1].Select(l => JsonNode.Parse(l)!).ToList();
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", (string?)c["object"]));
        Assert.Equal("assistant", (string?)chunks[0]["choices"]![0]!["delta"]!["role"]);
        Assert.Equal("stop", (string?)chunks[^2]["choices"]![0]!["finish_reason"]);
        Assert.Empty(chunks[^1]["choices"]!.AsArray());
        Assert.True((int?)chunks[^1]["usage"]!["total_tokens"] > 0);
    }

    private async Task<Trained> UpstreamAgentAsync(string model) => await App.RelayAsync(await Op(), upstream.V1, model);

    [Fact]
    public async Task OpenAiProviderAnswersThroughTheUpstreamWithItsUsage()
    {
        var t = await UpstreamAgentAsync("good");
        await t.TrainAsync(Encoding.UTF8.GetBytes(Fact), "hours.txt");
        var reply = await t.AskAsync("When is the support hotline open?");
        Assert.Equal("Upstream says hello [1]", (string?)reply["answer"]);
        Assert.Equal(11, (int?)reply["usage"]!["input_tokens"]);
        Assert.Equal(7, (int?)reply["usage"]!["output_tokens"]);
        Assert.Equal("hours", (string?)reply["citations"]![0]!["title"]);
        var (authorization, body) = upstream.Requests.Last(r => (string?)r.Body["model"] == "good");
        Assert.Equal("Bearer sk-test-upstream", authorization);
        Assert.Contains("8 am to 6 pm", (string?)body["messages"]![0]!["content"]);

        var events = await ReadEvents(await t.Key.PostJson("/api/v1/chat", new { message = "When is the hotline open?", stream = true }));
        Assert.Equal("Upstream says hello [1]", string.Concat(events.Where(e => e.Event == "delta").Select(e => (string?)e.Data["text"])));
        Assert.Equal(7, (int?)events[^1].Data["usage"]!["output_tokens"]);
    }

    [Fact]
    public async Task AHardOutputTokenAllowanceBoundsTheAnswerToWhatRemainsOfIt()
    {
        var now = StopClockAt(TestDates.MonthEnd);
        var t = await UpstreamAgentAsync("good");
        var op = t.Member;
        // 1 x 1,000 output tokens a month, hard; 990 of them are used already.
        var plan = await op.PostJson($"/api/v1/agents/{t.Seeded.AgentId}/plans", new
        {
            name = "Capped", unit = "month", unit_price = 5m,
            components = new object[]
            {
                new { type = "tokens", name = "Tokens", billing_type = "usage", metric = "output_tokens", unit_size = 1000, price = 0.002m, limit = 1, hard_limit = true },
            },
        }).Created();
        await op.PatchJson($"/api/v1/accesses/{t.Seeded.AccessId}", new { plan_id = plan.Id() }).Json200();
        var usage = App.WithKey(await op.IssueKeyAsync(t.Seeded.AccessId, "usage:write"));
        await usage.PostJson("/api/v1/usage/events", new { events = new[] { new { id = "earlier", metric = "output_tokens", quantity = 990, occurred_at = now } } }).Json200();

        var before = upstream.Requests.Count;
        await t.AskAsync("How much can you still say?");
        var (_, body) = upstream.Requests.Skip(before).Single(r => (string?)r.Body["model"] == "good");
        Assert.Equal(10, (int?)(body["max_completion_tokens"] ?? body["max_tokens"]));
    }

    [Theory]
    [InlineData("garbage", 502, false)]
    [InlineData("fail", 502, true)]
    [InlineData("hang", 504, true)]
    public async Task FailingUpstreamIsACleanProblemAndStoresNothing(string model, int status, bool stream)
    {
        var t = await UpstreamAgentAsync(model);
        await t.Key.PostJson("/api/v1/chat", new { message = "Anyone there?", stream }).Problem(status, status == 504 ? "llm-timeout" : "llm-unavailable");
        var completion = await t.Key.PostAsJsonAsync("/v1/chat/completions", new { model = t.Seeded.AgentSlug, messages = new[] { new { role = "user", content = "hi" } } });
        Assert.Equal(status, (int)completion.StatusCode);
        Assert.NotNull((await completion.Content.ReadFromJsonAsync<JsonNode>())!["error"]!["message"]);
        await using var scope = App.Services.CreateAsyncScope();
        var db = await SystemDb(scope);
        var access = Guid.Parse(t.Seeded.AccessId);
        Assert.False(await db.Messages.AnyAsync(m => db.Set<Conversation>().Any(c => c.Id == m.ConversationId && c.AccessId == access)));
    }
}

public sealed class ChatApiOnSqlite(UpstreamRegistry<Sqlite> app) : ChatApiTests(app, app.Upstream), IClassFixture<UpstreamRegistry<Sqlite>>;

public sealed class ChatApiOnPostgres(UpstreamRegistry<Postgres> app) : ChatApiTests(app, app.Upstream), IClassFixture<UpstreamRegistry<Postgres>>;
