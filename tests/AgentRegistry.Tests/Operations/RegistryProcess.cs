using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AgentRegistry.Tests.Operations;

/// <summary>
/// The registry as an operating-system process (<c>dotnet agentregistry.dll</c>, as built beside this test run) on a
/// loopback port: nothing is shared with other replicas but the database and Waldur, as in a deployment.
/// </summary>
public sealed class RegistryProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    public Uri BaseAddress { get; }
    public string Log { get { lock (_log) return _log.ToString(); } }

    private RegistryProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public static async Task<RegistryProcess> StartAsync(IReadOnlyDictionary<string, string> settings, params string[] args)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Executable());
        foreach (var a in args) start.ArgumentList.Add(a);
        if (args.Length == 0) { start.ArgumentList.Add("--urls"); start.ArgumentList.Add($"http://127.0.0.1:{port}"); }
        foreach (var (key, value) in settings) start.Environment[key.Replace(":", "__")] = value;
        var registry = new RegistryProcess(Process.Start(start)!, new Uri($"http://127.0.0.1:{port}/"));
        registry._process.OutputDataReceived += (_, e) => registry.Append(e.Data);
        registry._process.ErrorDataReceived += (_, e) => registry.Append(e.Data);
        registry._process.BeginOutputReadLine();
        registry._process.BeginErrorReadLine();
        if (args.Length == 0) await registry.WaitReadyAsync();
        return registry;
    }

    /// <summary>Runs a command of the executable to its end; its exit code and output.</summary>
    public static async Task<(int Exit, string Output)> RunAsync(IReadOnlyDictionary<string, string> settings, params string[] args)
    {
        await using var command = await StartAsync(settings, args);
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await command._process.WaitForExitAsync(deadline.Token);
        return (command._process.ExitCode, command.Log);
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_log) _log.AppendLine(line);
    }

    private async Task WaitReadyAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(180))
        {
            if (_process.HasExited) throw new InvalidOperationException($"The registry exited with {_process.ExitCode}:\n{Log}");
            try
            {
                if ((await http.GetAsync("/health/ready")).IsSuccessStatusCode) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
            await Task.Delay(250);
        }
        throw new TimeoutException($"The registry at {BaseAddress} was not ready in 180 s:\n{Log}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>src/AgentRegistry/bin/{the configuration of this test run}/net10.0/agentregistry.dll.</summary>
    private static string Executable()
    {
        var bin = new DirectoryInfo(AppContext.BaseDirectory);
        var configuration = bin.Parent!.Name; // .../bin/<Configuration>/net10.0/
        for (var dir = bin; dir is not null; dir = dir.Parent)
        {
            var dll = Path.Combine(dir.FullName, "src", "AgentRegistry", "bin", configuration, "net10.0", "agentregistry.dll");
            if (File.Exists(dll)) return dll;
        }
        throw new FileNotFoundException($"agentregistry.dll ({configuration}) was not found above {bin.FullName}; build src/AgentRegistry.");
    }

    /// <summary>Ends the process with SIGKILL, as a crash or an OOM kill would: no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
