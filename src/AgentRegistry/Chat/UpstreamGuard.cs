using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace AgentRegistry.Chat;

/// <summary>A call to an upstream the configuration does not allow; answered as a 502 problem, never sent.</summary>
public sealed class UpstreamRefusedException(string message) : Exception(message);

/// <summary>
/// Where the registry may send a chat (and with it an upstream key). An agent's endpoint is data an operator edits, so
/// it is checked against configuration: its host must be in <c>Llm:AllowedHosts</c> when that is set, and it must not
/// reach a loopback, private, link-local or otherwise internal address unless its host (or the address) is listed there
/// or is the host of a configured endpoint (<c>Llm:Endpoint</c>, <c>Llm:Providers:*:Endpoint</c>). The addresses are
/// checked when the connection is made (<see cref="ConnectAsync"/>), so a name that resolves elsewhere later (DNS
/// rebinding) is caught too.
/// </summary>
public sealed class UpstreamGuard(IOptionsMonitor<LlmOptions> llm)
{
    /// <summary>Why the endpoint may not be called, or null when it may (as far as its text tells).</summary>
    public string? Refusal(Uri endpoint)
    {
        if (endpoint.Scheme is not ("http" or "https")) return "The agent's endpoint must be an http or https URL.";
        if (endpoint.UserInfo.Length > 0) return "The agent's endpoint must not carry credentials.";
        var o = llm.CurrentValue;
        if (o.AllowedHosts.Count > 0 && !Listed(endpoint.IdnHost, o, wildcards: true) && !Configured(endpoint.IdnHost, o))
            return $"The host {endpoint.IdnHost} is not in Llm:AllowedHosts.";
        if (IPAddress.TryParse(endpoint.IdnHost.Trim('[', ']'), out var literal) && !MayReach(endpoint.IdnHost, literal))
            return $"The address {literal} is internal; list it in Llm:AllowedHosts to allow it.";
        return null;
    }

    /// <summary>Whether a connection to <paramref name="address"/> for <paramref name="host"/> is allowed.</summary>
    public bool MayReach(string host, IPAddress address)
    {
        if (!IsInternal(address)) return true;
        var o = llm.CurrentValue;
        return Listed(host, o, wildcards: false) || Configured(host, o) || Listed(address.ToString(), o, wildcards: false);
    }

    /// <summary>The connection step of the upstream HTTP handler: resolve, check every address, connect to an allowed one.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
        var allowed = addresses.Where(a => MayReach(host, a)).ToList();
        if (allowed.Count == 0)
            throw new UpstreamRefusedException($"The upstream {host} resolves only to internal addresses; list it in Llm:AllowedHosts to allow it.");
        Exception? last = null;
        foreach (var address in allowed)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (Exception e) when (e is SocketException or IOException)
            {
                socket.Dispose();
                last = e;
            }
        }
        throw last!;
    }

    private static bool Listed(string host, LlmOptions o, bool wildcards) => o.AllowedHosts.Any(entry =>
        string.Equals(entry, host, StringComparison.OrdinalIgnoreCase)
        || wildcards && entry.StartsWith("*.", StringComparison.Ordinal) && host.EndsWith(entry[1..], StringComparison.OrdinalIgnoreCase));

    private static bool Configured(string host, LlmOptions o) => o.ConfiguredEndpoints().Any(e => string.Equals(e.IdnHost, host, StringComparison.OrdinalIgnoreCase));

    /// <summary>Loopback, private, link-local (cloud metadata), shared (CGNAT), unique-local, multicast or unspecified.</summary>
    internal static bool IsInternal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)) return true;
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || address.IsIPv6UniqueLocal;
        var b = address.GetAddressBytes();
        return b[0] is 0 or 10 or 127 || b[0] >= 224
            || b[0] == 169 && b[1] == 254
            || b[0] == 172 && b[1] >= 16 && b[1] <= 31
            || b[0] == 192 && b[1] == 168
            || b[0] == 100 && b[1] >= 64 && b[1] <= 127
            || b[0] == 192 && b[1] == 0 && b[2] == 0
            || b[0] == 198 && b[1] is 18 or 19;
    }
}
