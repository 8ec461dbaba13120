namespace AgentRegistry.Knowledge;

/// <summary>Keeps the k best (score, slot) pairs in a min-heap: O(n log k), no sort of the whole candidate set.</summary>
internal sealed class TopK(int k)
{
    private readonly PriorityQueue<int, float> _heap = new(k + 1);

    public float Threshold => _heap.Count < k ? float.NegativeInfinity : _heap.TryPeek(out _, out var worst) ? worst : float.NegativeInfinity;

    public void Offer(int slot, float score)
    {
        if (_heap.Count < k)
        {
            _heap.Enqueue(slot, score);
        }
        else if (score > Threshold)
        {
            _heap.DequeueEnqueue(slot, score);
        }
    }

    /// <summary>Best first.</summary>
    public (int Slot, float Score)[] Drain()
    {
        var result = new (int Slot, float Score)[_heap.Count];
        for (var i = result.Length - 1; i >= 0; i--)
        {
            _heap.TryDequeue(out var slot, out var score);
            result[i] = (slot, score);
        }

        return result;
    }
}
