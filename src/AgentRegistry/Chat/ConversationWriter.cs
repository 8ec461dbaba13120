using Microsoft.EntityFrameworkCore;
using AgentRegistry.Infrastructure;
using AgentRegistry.Metering;

namespace AgentRegistry.Chat;

/// <summary>
/// What one answered message stores: its conversation (new, or an existing one touched at <paramref name="At"/>), the
/// question, the answer, and the answer's usage.
/// </summary>
public sealed record AnsweredMessage(Conversation? NewConversation, Guid ConversationId, Message Question, Message Answer,
    UsageSubject Subject, long InputTokens, long OutputTokens, DateTime At);

/// <summary>
/// Group commit (<see cref="GroupCommit{TItem,TResult}"/>) of answered messages: each answer's task completes only
/// after its rows are committed. The usage idempotency keys derive from the message, so no usage can be counted twice.
/// </summary>
public sealed class ConversationWriter(IServiceScopeFactory scopes, UsageRecorder recorder, ILogger<ConversationWriter> log)
    : GroupCommit<AnsweredMessage, bool>(MaxBatch, log)
{
    /// <summary>The most answers one transaction stores.</summary>
    public const int MaxBatch = 256;

    protected override string What => "answered messages";

    /// <summary>
    /// One transaction for the given answers: new conversations, both messages of each answer and its usage records as
    /// one multi-row insert per table, and the touched conversations' <c>UpdatedAt</c>, in a context of its own.
    /// </summary>
    protected override async Task<IReadOnlyList<bool>> SaveAsync(IReadOnlyList<AnsweredMessage> answers)
    {
        await using var scope = scopes.CreateSystemScope("chat");
        var db = scope.ServiceProvider.GetRequiredService<RegistryDb>();
        var added = new List<Conversation>();
        var touched = new Dictionary<Guid, Conversation>();
        var messages = new List<Message>(answers.Count * 2);
        var usage = new List<UsageRecord>(answers.Count * 3);
        foreach (var m in answers)
        {
            if (m.NewConversation is { } conversation) added.Add(conversation);
            else if (!touched.TryGetValue(m.ConversationId, out var seen) || seen.UpdatedAt < m.At)
                touched[m.ConversationId] = new Conversation { Id = m.ConversationId, UpdatedAt = m.At };
            messages.Add(m.Question);
            messages.Add(m.Answer);
            usage.AddRange(recorder.OfMessage(m.Subject, m.Answer.Id, m.InputTokens, m.OutputTokens, m.At));
        }
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            await using var tx = await db.Database.BeginTransactionAsync(CancellationToken.None);
            await BatchInsert.InsertAsync(db, added, CancellationToken.None);
            await BatchInsert.InsertAsync(db, messages, CancellationToken.None);
            await BatchInsert.InsertAsync(db, usage, CancellationToken.None);
            await BatchInsert.UpdateAsync(db, [.. touched.Values], nameof(Conversation.Id), nameof(Conversation.UpdatedAt), CancellationToken.None);
            await tx.CommitAsync(CancellationToken.None);
        });
        return new bool[answers.Count];
    }
}
