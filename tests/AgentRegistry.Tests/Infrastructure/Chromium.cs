using Microsoft.Playwright;

[assembly: AssemblyFixture(typeof(AgentRegistry.Tests.Infrastructure.Chromium))]

namespace AgentRegistry.Tests.Infrastructure;

/// <summary>
/// One headless Chromium for the whole test assembly, driven by Playwright: the system's browser
/// (AGENTREGISTRY_TEST_CHROMIUM, else /usr/bin/chromium), never a Playwright download.
/// Each test gets its own browser context, so cookies do not leak between tests.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    public static readonly string ExecutablePath =
        Environment.GetEnvironmentVariable("AGENTREGISTRY_TEST_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    private static readonly string[] Args =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    private readonly string _executable;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public Chromium() : this(ExecutablePath) { }

    /// <summary>The browser at <paramref name="executable"/>.</summary>
    internal Chromium(string executable) => _executable = executable;

    /// <summary>Why no browser is installed here; null when one is.</summary>
    public string? Unavailable { get; private set; }

    /// <summary>Why the installed browser did not start; null when it did. Fails every browser test: never a skip.</summary>
    public string? StartError { get; private set; }

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(_executable))
        {
            Unavailable = $"Chromium is not installed at {_executable}; install Debian's chromium or set AGENTREGISTRY_TEST_CHROMIUM.";
            return;
        }
        try
        {
            _playwright = await Playwright.CreateAsync();
            _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = _executable, Headless = true, Args = Args,
            });
        }
        catch (PlaywrightException e)
        {
            StartError = $"Chromium at {_executable} did not start: {e.Message}";
        }
    }

    /// <summary>
    /// Skips the calling test when no browser is installed (fails it under CI=true where browser tests must run);
    /// fails it when the installed browser did not start.
    /// </summary>
    public void RequireAvailable()
    {
        if (StartError is not null) throw new InvalidOperationException(StartError);
        if (Unavailable is not null) Requirement.Missing(Unavailable);
    }

    /// <summary>
    /// A fresh page in a context of its own, with relative URLs resolved against <paramref name="baseAddress"/>;
    /// <paramref name="options"/> may set a device (viewport, touch, mobile).
    /// </summary>
    public async Task<IPage> NewPageAsync(Uri baseAddress, BrowserNewContextOptions? options = null)
    {
        options ??= new BrowserNewContextOptions();
        options.BaseURL = baseAddress.ToString().TrimEnd('/');
        var context = await _browser!.NewContextAsync(options);
        context.SetDefaultTimeout(15_000);
        // Expectations wait as long as actions: an answer under a loaded CI machine may take more than the default 5 s.
        Microsoft.Playwright.Assertions.SetDefaultExpectTimeout(15_000);
        return await context.NewPageAsync();
    }

    /// <summary>Where screenshots go: TestResults/screenshots under the test output directory.</summary>
    public static string ScreenshotPath(string name)
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, name);
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null) await _browser.CloseAsync();
        _playwright?.Dispose();
    }
}
