using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AgentRegistry.Chat;
using AgentRegistry.Infrastructure;
using AgentRegistry.Metering;
using AgentRegistry.Tests.Infrastructure;
using AgentRegistry.Tests.Knowledge;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentRegistry.Tests.Chat;

/// <summary>Answers are stored by the group-commit writer: once each, several in one transaction, a bad one failing alone.</summary>
public abstract class GroupCommitTests(RegistryApp app) : RegistryTest(app)
{
    private ConversationWriter Writer => App.Services.GetRequiredService<ConversationWriter>();

    private async Task<T> InSystemDb<T>(Func<RegistryDb, Task<T>> read)
    {
        await using var scope = App.Services.GetRequiredService<IServiceScopeFactory>().CreateSystemScope();
        return await read(scope.ServiceProvider.GetRequiredService<RegistryDb>());
    }

    /// <summary>Waits (without asserting on time) until the held writer has <paramref name="count"/> answers queued.</summary>
    private async Task QueuedAsync(long count)
    {
        for (var i = 0; Writer.Waiting < count; i++)
        {
            Assert.True(i < 3000, $"{count} answers were never queued (now {Writer.Waiting}).");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task ConcurrentAnswersAreEachStoredOnceWithTheirUsage()
    {
        const int n = 24;
        var t = await App.TenantAsync(await Op());
        var answers = await Task.WhenAll(Enumerable.Range(0, n).Select(i => t.AskAsync($"Question number {i}?")));
        Assert.Equal(n, answers.Select(a => (string?)a["message_id"]).Distinct().Count());

        var access = Guid.Parse(t.Seeded.AccessId);
        var (conversations, messages, usage) = await InSystemDb(async db => (
            await db.Conversations.CountAsync(c => c.AccessId == access),
            await db.Messages.Where(m => db.Set<Conversation>().Any(c => c.Id == m.ConversationId && c.AccessId == access))
                .GroupBy(m => m.Role).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count),
            await db.UsageRecords.Where(u => u.AccessId == access).GroupBy(u => u.Metric)
                .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count)));
        Assert.Equal(n, conversations);
        Assert.Equal(n, messages[MessageRoles.User]);
        Assert.Equal(n, messages[MessageRoles.Assistant]);
        Assert.Equal(3, usage.Count);
        Assert.All(usage.Values, c => Assert.Equal(n, c));
    }

    [Fact]
    public async Task AnswersFinishedWhileTheWriterIsBusyShareOneCommit()
    {
        const int n = 10;
        var t = await App.TenantAsync(await Op());
        var first = await t.AskAsync("Where do I start?");
        var (batches, commits) = (Writer.Batches, Writer.Commits);
        Task<JsonNode>[] asked;
        using (await Writer.HoldAsync())
        {
            asked = Enumerable.Range(0, n).Select(i => i == 0
                ? t.AskAsync("And then?", (string)first["conversation_id"]!)
                : t.AskAsync($"Question number {i}?")).ToArray();
            await QueuedAsync(n);
            Assert.All(asked, a => Assert.False(a.IsCompleted));
        }
        var answers = await Task.WhenAll(asked);

        Assert.Equal(batches + 1, Writer.Batches);
        Assert.Equal(commits + 1, Writer.Commits);
        var access = Guid.Parse(t.Seeded.AccessId);
        Assert.Equal(3 * (n + 1), await InSystemDb(db => db.UsageRecords.CountAsync(u => u.AccessId == access)));
        var continued = Guid.Parse((string)answers[0]["conversation_id"]!);
        Assert.Equal(4, await InSystemDb(db => db.Messages.CountAsync(m => m.ConversationId == continued)));
    }

    [Fact]
    public async Task AnAnswerWhoseUsageCannotBeStoredFailsAloneAndTheOthersAreCommitted()
    {
        var t = await App.TenantAsync(await Op());
        var s = t.Seeded;
        var subject = new UsageSubject(Guid.Parse(s.TenantId), Guid.Parse(s.AccessId), Guid.Parse(s.AgentId), null, null);
        AnsweredMessage Answer(string text)
        {
            var at = App.Clock.UtcNow;
            var conversation = new Conversation { TenantId = subject.TenantId, AccessId = subject.AccessId, Title = text, CreatedAt = at, UpdatedAt = at };
            Message M(string role) => new() { TenantId = subject.TenantId, ConversationId = conversation.Id, Role = role, Content = text, CreatedAt = at };
            return new AnsweredMessage(conversation, conversation.Id, M(MessageRoles.User), M(MessageRoles.Assistant), subject, 5, 7, at);
        }
        var good1 = Answer("first");
        var bad = Answer("second");
        var good2 = Answer("third");
        // The bad answer's usage collides with a record already stored under the same idempotency key.
        await using (var scope = App.Services.GetRequiredService<IServiceScopeFactory>().CreateSystemScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<RegistryDb>();
            db.UsageRecords.Add(new UsageRecord
            {
                TenantId = subject.TenantId, AccessId = subject.AccessId, AgentId = subject.AgentId, Metric = Metrics.OutputTokens,
                Quantity = 1, OccurredAt = App.Clock.UtcNow, IdempotencyKey = $"message:{bad.Answer.Id:N}:{Metrics.OutputTokens}",
            });
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        var batches = Writer.Batches;
        Task[] written;
        using (await Writer.HoldAsync())
            written = [Writer.WriteAsync(good1), Writer.WriteAsync(bad), Writer.WriteAsync(good2)];
        await written[0];
        await written[2];
        await Assert.ThrowsAsync<DbUpdateException>(() => written[1]);

        Assert.Equal(batches + 1, Writer.Batches);
        var ids = new[] { good1.ConversationId, bad.ConversationId, good2.ConversationId };
        var stored = await InSystemDb(db => db.Messages.Where(m => ids.Contains(m.ConversationId)).Select(m => m.ConversationId).ToListAsync());
        Assert.Equal(2, stored.Count(id => id == good1.ConversationId));
        Assert.Equal(2, stored.Count(id => id == good2.ConversationId));
        Assert.DoesNotContain(bad.ConversationId, stored);
        var usage = await InSystemDb(db => db.UsageRecords.Where(u => u.AccessId == subject.AccessId).ToListAsync());
        Assert.Equal(7, usage.Count);
        Assert.Equal(1, usage.Single(u => u.IdempotencyKey.StartsWith($"message:{bad.Answer.Id:N}", StringComparison.Ordinal)).Quantity);
    }

    [Fact]
    public async Task SavedAndRolledBackPersonasAndAgentChangesApplyToTheNextAnswer()
    {
        var op = await Op();
        var t = await App.TenantAsync(op);
        var url = $"/api/v1/accesses/{t.Seeded.AccessId}/configuration";
        await t.Member.PutJson(url, new { fallback_answer = "Ask Ada." }).Json200();
        Assert.Equal("Ask Ada.", (string?)(await t.AskAsync("Anything?"))["answer"]);
        await t.Member.PutJson(url, new { fallback_answer = "Ask Grace." }).Json200();
        Assert.Equal("Ask Grace.", (string?)(await t.AskAsync("Anything?"))["answer"]);
        await t.Member.PostJson($"{url}/rollback", new { version = 1 }).Json200();
        Assert.Equal("Ask Ada.", (string?)(await t.AskAsync("Anything?"))["answer"]);

        // The OpenAI-compatible model name is the agent's slug, read through the same cached persona.
        object Completion(string model) => new { model, messages = new[] { new { role = "user", content = "Anything?" } } };
        Assert.True((await t.Key.PostAsJsonAsync("/v1/chat/completions", Completion(t.Seeded.AgentSlug))).IsSuccessStatusCode);
        var agent = await op.GetAsync($"/api/v1/agents/{t.Seeded.AgentId}").Json200();
        var renamed = Seed.Unique("renamed");
        await op.PutJson($"/api/v1/agents/{t.Seeded.AgentId}", new
        {
            category_id = t.Seeded.CategoryId, name = (string?)agent["name"], slug = renamed, description = (string?)agent["description"],
            default_persona = (string?)agent["default_persona"],
        }).Json200();
        Assert.Equal(404, (int)(await t.Key.PostAsJsonAsync("/v1/chat/completions", Completion(t.Seeded.AgentSlug))).StatusCode);
        Assert.True((await t.Key.PostAsJsonAsync("/v1/chat/completions", Completion(renamed))).IsSuccessStatusCode);
    }
}

public sealed class GroupCommitOnSqlite(RegistryApp<Sqlite> app) : GroupCommitTests(app), IClassFixture<RegistryApp<Sqlite>>;
public sealed class GroupCommitOnPostgres(RegistryApp<Postgres> app) : GroupCommitTests(app), IClassFixture<RegistryApp<Postgres>>;
