namespace AgentRegistry.Tests.Infrastructure;

/// <summary>Base of tests that run once per database provider.</summary>
public abstract class RegistryTest : IDisposable
{
    protected RegistryApp App { get; }
    private HttpClient? _operator;
    private bool _clockMoved;

    protected RegistryTest(RegistryApp app)
    {
        app.RequireAvailable();
        App = app;
    }

    protected async Task<HttpClient> Op() => _operator ??= await App.OperatorAsync();

    /// <summary>
    /// Runs this test with the registry's clock stopped at <paramref name="utc"/> (one of <see cref="TestDates"/>), so what
    /// depends on the date is asserted against that date; the clock is on system time again when the test ends.
    /// </summary>
    protected DateTime StopClockAt(DateTime utc)
    {
        App.Clock.StopAt(utc);
        _clockMoved = true;
        return utc;
    }

    /// <summary>The registry's clock running on from <paramref name="utc"/> at the system's pace, until the test ends.</summary>
    protected DateTime RunClockFrom(DateTime utc)
    {
        App.Clock.RunFrom(new DateTimeOffset(utc, TimeSpan.Zero));
        _clockMoved = true;
        return utc;
    }

    public void Dispose()
    {
        if (_clockMoved) App.Clock.Resume();
        GC.SuppressFinalize(this);
    }
}
