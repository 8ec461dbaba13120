namespace AgentRegistry.Knowledge;

/// <summary>Wakes this replica's pipeline as soon as a document is queued here; the poll covers other replicas.</summary>
public sealed class DocumentQueue
{
    private readonly SemaphoreSlim _signal = new(0, int.MaxValue);

    public void Notify() => _signal.Release();

    public async Task WaitAsync(TimeSpan timeout, CancellationToken ct)
    {
        if (await _signal.WaitAsync(timeout, ct))
            while (_signal.CurrentCount > 0 && _signal.Wait(0)) { }
    }
}
