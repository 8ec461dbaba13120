namespace WaldurEmulator.Infrastructure;

/// <summary>
/// The emulator's clock: the system's time, or a time a test set through /emulator/clock, from which it runs on at
/// the system clock's pace (so that a registry under test, moved to the same time, keeps step with it). Invoices depend
/// on dates: the days a resource existed, the plan period a report falls in, whether a month is closed.
/// </summary>
public sealed class EmulatorClock : TimeProvider
{
    private TimeSpan? _offset;
    private readonly Lock _sync = new();

    public override DateTimeOffset GetUtcNow()
    {
        lock (_sync) return System.GetUtcNow() + (_offset ?? TimeSpan.Zero);
    }

    /// <summary>Moves the clock to <paramref name="now"/>; null returns it to the system's time.</summary>
    public void Set(DateTimeOffset? now)
    {
        lock (_sync) _offset = now is { } at ? at - System.GetUtcNow() : null;
    }

    public bool IsSet
    {
        get { lock (_sync) return _offset is not null; }
    }
}
