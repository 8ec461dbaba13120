using System.Threading.Channels;
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
/// Group commit of answered messages. Answers queue here; one writer stores everything queued while it was busy in one
/// transaction of its own, so concurrent answers share a commit and durability does not cost throughput (under low
/// load a batch is one answer, written at once). Each answer's task completes only after its rows are committed. When
/// a batch fails, its answers are written again one at a time, so one bad answer fails alone; the usage idempotency
/// keys derive from the message, so no usage can be counted twice.
/// </summary>
public sealed class ConversationWriter : IHostedService, IAsyncDisposable
{
    /// <summary>The most answers one transaction stores.</summary>
    public const int MaxBatch = 256;

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _busy = new(1, 1);
    private readonly IServiceScopeFactory _scopes;
    private readonly UsageRecorder _usage;
    private readonly ILogger<ConversationWriter> _log;
    private readonly Task _writing;
    private long _batches, _commits, _waiting;

    public ConversationWriter(IServiceScopeFactory scopes, UsageRecorder usage, ILogger<ConversationWriter> log)
    {
        _scopes = scopes;
        _usage = usage;
        _log = log;
        _writing = Task.Run(WriteQueuedAsync);
    }

    /// <summary>Batches taken from the queue so far.</summary>
    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>Transactions committed so far (a batch written again one answer at a time commits once per answer).</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>Answers queued and not yet taken into a batch.</summary>
    public long Waiting => Interlocked.Read(ref _waiting);

    /// <summary>Queues the answer; completes once it is committed, or fails with the reason it could not be.</summary>
    public Task WriteAsync(AnsweredMessage message)
    {
        var pending = new Pending(message, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        Interlocked.Increment(ref _waiting);
        if (_queue.Writer.TryWrite(pending)) return pending.Committed.Task;
        Interlocked.Decrement(ref _waiting);
        throw new ObjectDisposedException(nameof(ConversationWriter), "The registry is stopping.");
    }

    /// <summary>Keeps the writer busy until the result is disposed: whatever is queued meanwhile becomes one batch.</summary>
    internal async Task<IDisposable> HoldAsync()
    {
        await _busy.WaitAsync();
        return new Release(_busy);
    }

    private async Task WriteQueuedAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<Pending>(MaxBatch);
        while (await reader.WaitToReadAsync())
        {
            await _busy.WaitAsync();
            try
            {
                while (batch.Count < MaxBatch && reader.TryRead(out var pending)) batch.Add(pending);
                Interlocked.Add(ref _waiting, -batch.Count);
                Interlocked.Increment(ref _batches);
                await WriteBatchAsync(batch);
            }
            finally
            {
                batch.Clear();
                _busy.Release();
            }
        }
    }

    private async Task WriteBatchAsync(List<Pending> batch)
    {
        try
        {
            await SaveAsync(batch);
            foreach (var p in batch) p.Committed.TrySetResult();
            return;
        }
        catch (Exception e) when (batch.Count > 1)
        {
            _log.LogWarning(e, "Storing {Count} answered messages together failed; storing them one at a time", batch.Count);
        }
        catch (Exception e)
        {
            batch[0].Committed.TrySetException(e);
            return;
        }
        foreach (var p in batch)
        {
            try
            {
                await SaveAsync([p]);
                p.Committed.TrySetResult();
            }
            catch (Exception e)
            {
                p.Committed.TrySetException(e);
            }
        }
    }

    /// <summary>
    /// One transaction for the given answers: new conversations, both messages of each answer and its usage records as
    /// one multi-row insert per table, and the touched conversations' <c>UpdatedAt</c>, in a context of its own.
    /// </summary>
    private async Task SaveAsync(IReadOnlyList<Pending> answers)
    {
        await using var scope = _scopes.CreateSystemScope("chat");
        var db = scope.ServiceProvider.GetRequiredService<RegistryDb>();
        var added = new List<Conversation>();
        var touched = new Dictionary<Guid, Conversation>();
        var messages = new List<Message>(answers.Count * 2);
        var usage = new List<UsageRecord>(answers.Count * 3);
        foreach (var (m, _) in answers)
        {
            if (m.NewConversation is { } conversation) added.Add(conversation);
            else if (!touched.TryGetValue(m.ConversationId, out var seen) || seen.UpdatedAt < m.At)
                touched[m.ConversationId] = new Conversation { Id = m.ConversationId, UpdatedAt = m.At };
            messages.Add(m.Question);
            messages.Add(m.Answer);
            usage.AddRange(_usage.OfMessage(m.Subject, m.Answer.Id, m.InputTokens, m.OutputTokens, m.At));
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
        Interlocked.Increment(ref _commits);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Stops taking answers and waits until the queued ones are stored.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await _writing.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writing;
        _busy.Dispose();
    }

    private sealed record Pending(AnsweredMessage Message, TaskCompletionSource Committed);

    private sealed class Release(SemaphoreSlim busy) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0) busy.Release();
        }
    }
}
