using System.Threading.Channels;

namespace AgentRegistry.Infrastructure;

/// <summary>
/// Group commit: writes queue here; one writer stores everything queued while it was busy in one transaction of its
/// own, so concurrent writers share a commit and durability does not cost throughput (under low load a batch is one
/// write, stored at once). Each write's task completes only after it is committed, with what the save answered for it.
/// When a batch fails, its writes are saved again one at a time, so one bad write fails alone (the saves must be
/// idempotent or refuse a repeat). Used by the hot paths that must be durable before they answer (answered messages,
/// webhook deliveries) and by work that is cheaper done together (question embeddings: one model run for the questions
/// asked while the model was busy).
/// </summary>
public abstract class GroupCommit<TItem, TResult> : IHostedService, IAsyncDisposable
{
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _busy = new(1, 1);
    private readonly ILogger _log;
    private readonly int _maxBatch;
    private readonly Task _writing;
    private long _batches, _commits, _waiting;

    protected GroupCommit(int maxBatch, ILogger log)
    {
        _maxBatch = maxBatch;
        _log = log;
        _writing = Task.Run(WriteQueuedAsync);
    }

    /// <summary>What one batch stores, for the log: "answered messages", "webhook deliveries".</summary>
    protected abstract string What { get; }

    /// <summary>Stores the items in one transaction; returns one result per item, in order.</summary>
    protected abstract Task<IReadOnlyList<TResult>> SaveAsync(IReadOnlyList<TItem> items);

    /// <summary>Batches taken from the queue so far.</summary>
    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>Transactions committed so far (a batch written again one item at a time commits once per item).</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>Items queued and not yet taken into a batch.</summary>
    public long Waiting => Interlocked.Read(ref _waiting);

    /// <summary>Queues the item; completes once it is committed, or fails with the reason it could not be.</summary>
    public Task<TResult> WriteAsync(TItem item)
    {
        var pending = new Pending(item, new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        Interlocked.Increment(ref _waiting);
        if (_queue.Writer.TryWrite(pending)) return pending.Committed.Task;
        Interlocked.Decrement(ref _waiting);
        throw new ObjectDisposedException(GetType().Name, "The registry is stopping.");
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
        var batch = new List<Pending>(_maxBatch);
        while (await reader.WaitToReadAsync())
        {
            await _busy.WaitAsync();
            try
            {
                while (batch.Count < _maxBatch && reader.TryRead(out var pending)) batch.Add(pending);
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
            var results = await SaveAsync(batch.ConvertAll(p => p.Item));
            Interlocked.Increment(ref _commits);
            for (var i = 0; i < batch.Count; i++) batch[i].Committed.TrySetResult(results[i]);
            return;
        }
        catch (Exception e) when (batch.Count > 1)
        {
            _log.LogWarning(e, "Storing {Count} {What} together failed; storing them one at a time", batch.Count, What);
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
                var results = await SaveAsync([p.Item]);
                Interlocked.Increment(ref _commits);
                p.Committed.TrySetResult(results[0]);
            }
            catch (Exception e)
            {
                p.Committed.TrySetException(e);
            }
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Stops taking writes and waits until the queued ones are stored, or until the host's stop deadline: past it the
    /// writes go on and disposal waits for them, so the host's stop still ends without an error.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await _writing.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writing;
        _busy.Dispose();
        await DisposeCoreAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases what a subclass holds, after the queued items are done.</summary>
    protected virtual ValueTask DisposeCoreAsync() => default;

    private sealed record Pending(TItem Item, TaskCompletionSource<TResult> Committed);

    private sealed class Release(SemaphoreSlim busy) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0) busy.Release();
        }
    }
}
