using System.Net;

namespace AgentRegistry.Infrastructure;

/// <summary>Addresses and CIDR ranges from configuration (e.g. <c>10.0.0.0/8</c>, <c>192.0.2.7</c>).</summary>
public static class NetworkList
{
    public static bool Contains(IEnumerable<string> networks, IPAddress? address)
    {
        if (address is null) return false;
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        foreach (var entry in networks)
        {
            if (IPNetwork.TryParse(entry, out var network) && network.Contains(address)) return true;
            if (IPAddress.TryParse(entry, out var single) && single.Equals(address)) return true;
        }
        return false;
    }

    public static bool IsValid(string entry) => IPNetwork.TryParse(entry, out _) || IPAddress.TryParse(entry, out _);
}
