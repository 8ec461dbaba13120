namespace WaldurEmulator.Infrastructure;

/// <summary>
/// The emulator's clock: the system's time, or a time a test set through /emulator/clock, which then stands still
/// until it is set again. Invoices depend on dates (days a resource existed, the plan period of a report).
/// </summary>
public sealed class EmulatorClock : TimeProvider
{
    private DateTimeOffset? _now;
    private readonly Lock _sync = new();

    public override DateTimeOffset GetUtcNow()
    {
        lock (_sync) return _now ?? System.GetUtcNow();
    }

    /// <summary>Stops the clock at <paramref name="now"/>; null lets it run with the system's time again.</summary>
    public void Set(DateTimeOffset? now)
    {
        lock (_sync) _now = now?.ToUniversalTime();
    }

    public bool IsSet
    {
        get { lock (_sync) return _now is not null; }
    }
}
