using System.Runtime.CompilerServices;

namespace AgentRegistry.Tests.Infrastructure;

internal static class TestProcessSettings
{
    /// <summary>
    /// The suite hosts many registries in one process; each would watch its content and configuration files with
    /// inotify, and Linux allows 128 inotify instances per user by default. Past that, a page that versions its
    /// stylesheet answers 500. Polling watchers need no inotify instance; a test never edits those files.
    /// </summary>
    [ModuleInitializer]
    internal static void Initialize() => Environment.SetEnvironmentVariable("DOTNET_USE_POLLING_FILE_WATCHER", "true");
}
