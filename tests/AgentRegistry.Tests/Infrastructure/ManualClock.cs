namespace AgentRegistry.Tests.Infrastructure;

/// <summary>
/// The test registry's clock: system time until a test moves it (<see cref="Advance"/>) or stops it at a fixed instant
/// (<see cref="StopAt"/>), so date-dependent behaviour is tested on chosen dates, never on today's. Timers and
/// timestamps stay the system's, so background loops keep running.
/// </summary>
public sealed class ManualClock : TimeProvider
{
    private readonly Lock _gate = new();
    private TimeSpan _offset;
    private DateTimeOffset? _stoppedAt;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate) return _stoppedAt ?? System.GetUtcNow() + _offset;
    }

    /// <summary>The registry's now as a UTC <see cref="DateTime"/>: for times relative to it (a lock that has run out,
    /// a token that has expired), where the date itself does not matter.</summary>
    public DateTime UtcNow => GetUtcNow().UtcDateTime;

    /// <summary>Moves the clock forward (or back), stopped or running.</summary>
    public void Advance(TimeSpan by)
    {
        lock (_gate)
        {
            if (_stoppedAt is { } at) _stoppedAt = at + by;
            else _offset += by;
        }
    }

    /// <summary>Stops the clock at <paramref name="utc"/> until it is moved or <see cref="Resume"/>d.</summary>
    public void StopAt(DateTime utc)
    {
        if (utc.Kind != DateTimeKind.Utc) throw new ArgumentException("A UTC instant.", nameof(utc));
        lock (_gate) _stoppedAt = new DateTimeOffset(utc);
    }

    /// <summary>Runs on from <paramref name="now"/> (time passes as on the system clock), so background loops see it move.</summary>
    public void RunFrom(DateTimeOffset now)
    {
        lock (_gate) { _stoppedAt = null; _offset = now - System.GetUtcNow(); }
    }

    /// <summary>Back to system time.</summary>
    public void Resume()
    {
        lock (_gate) { _stoppedAt = null; _offset = TimeSpan.Zero; }
    }
}
