using System.Diagnostics;

namespace AgentRegistry.Tests.Infrastructure;

/// <summary>
/// How long a test polls for something to happen, measured on a <see cref="Stopwatch"/> (elapsed time, never the
/// date), so a wait is independent of the registry's and the emulator's clocks and of the day the suite runs on.
/// </summary>
public readonly struct Deadline
{
    private readonly Stopwatch _watch;
    private readonly TimeSpan _limit;

    private Deadline(TimeSpan limit) => (_watch, _limit) = (Stopwatch.StartNew(), limit);

    public static Deadline In(TimeSpan limit) => new(limit);

    public static Deadline InSeconds(double seconds) => new(TimeSpan.FromSeconds(seconds));

    /// <summary>Time is left: keep polling.</summary>
    public bool Open => _watch.Elapsed < _limit;

    public bool Passed => !Open;
}
