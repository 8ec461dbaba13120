namespace AgentRegistry.Tests.Infrastructure;

/// <summary>Base of tests that run once per database provider.</summary>
public abstract class RegistryTest
{
    protected RegistryApp App { get; }
    private HttpClient? _operator;

    protected RegistryTest(RegistryApp app)
    {
        app.RequireAvailable();
        App = app;
    }

    protected async Task<HttpClient> Op() => _operator ??= await App.OperatorAsync();
}
