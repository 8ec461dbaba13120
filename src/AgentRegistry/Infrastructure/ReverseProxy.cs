using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace AgentRegistry.Infrastructure;

/// <summary>
/// Trust X-Forwarded-For/-Proto only from the proxies named in <c>ReverseProxy:KnownNetworks</c>, so the
/// client address seen by the webhook allowlist and the rate limits is the real one, and cannot be forged
/// by anyone else.
/// </summary>
public static class ReverseProxy
{
    public static IServiceCollection AddReverseProxySupport(this IServiceCollection services, IConfiguration config)
    {
        var networks = config.GetSection("ReverseProxy:KnownNetworks").Get<string[]>() ?? [];
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            // With no known proxy ASP.NET Core would trust the headers from any sender: then they are not read at all.
            o.ForwardedHeaders = networks.Length == 0 ? ForwardedHeaders.None : ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.ForwardLimit = config.GetValue("ReverseProxy:ForwardLimit", 1);
            o.KnownIPNetworks.Clear();
            o.KnownProxies.Clear();
            foreach (var entry in networks)
            {
                if (System.Net.IPNetwork.TryParse(entry, out var network)) o.KnownIPNetworks.Add(network);
                else if (IPAddress.TryParse(entry, out var address)) o.KnownProxies.Add(address);
                else throw new InvalidOperationException($"ReverseProxy:KnownNetworks has '{entry}', which is neither an address nor a CIDR range.");
            }
        });
        return services;
    }
}
