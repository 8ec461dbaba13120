using System.Globalization;
using System.Net.Http.Json;

namespace AgentRegistry.Tests.Infrastructure;

public static class EmulatorClockControl
{
    /// <summary>Runs the Waldur emulator's clock on from <paramref name="utc"/> (/emulator/clock); null: back to the system's time.</summary>
    public static async Task SetEmulatorClockAsync(this HttpClient control, DateTime? utc)
    {
        var now = utc?.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        (await control.PostAsJsonAsync("/emulator/clock", new { now }, TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();
    }
}
