using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace AgentRegistry.Infrastructure.Telemetry;

/// <summary>
/// Who may read <c>/metrics</c>: loopback, the configured networks, or a caller with the metrics bearer token. The
/// figures describe the business (orders, usage, tenants' traffic), so they are not public by default.
/// </summary>
internal static class MetricsAccess
{
    public static bool Allows(HttpContext http, TelemetryOptions options)
    {
        var address = http.Connection.RemoteIpAddress;
        if (address is not null && IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address)) return true;
        if (NetworkList.Contains(options.MetricsAllowedNetworks, address)) return true;
        string? header = http.Request.Headers.Authorization;
        return options.MetricsToken is { Length: > 0 } token && header is not null
            && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(header[7..].Trim())), SHA256.HashData(Encoding.UTF8.GetBytes(token)));
    }

    public static IApplicationBuilder UseMetricsAccess(this IApplicationBuilder app) => app.UseWhen(
        http => http.Request.Path.StartsWithSegments(TelemetrySetup.MetricsPath),
        branch => branch.Use(async (http, next) =>
        {
            if (Allows(http, http.RequestServices.GetRequiredService<IOptionsMonitor<TelemetryOptions>>().CurrentValue))
            {
                await next(http);
                return;
            }
            await Problems.Result(403, "metrics-forbidden",
                "Metrics are open to loopback, Telemetry:MetricsAllowedNetworks and the Telemetry:MetricsToken bearer token.").ExecuteAsync(http);
        }));
}
