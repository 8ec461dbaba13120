using AgentRegistry.Waldur.Client;
using Microsoft.Extensions.Options;

namespace AgentRegistry.Waldur;

/// <summary>
/// Links into Waldur's web interface (homeport) for what the registry leaves to Waldur: the marketplace resource, the
/// organisation's invoices and team, and the offering. The one place that knows homeport's routes (its
/// <c>src/marketplace/routes.ts</c>, <c>src/customer/routes.ts</c> and <c>src/invoices/routes.ts</c>); every link is null
/// while <c>Waldur:HomeUrl</c> is unset or the registry does not know the Waldur object.
/// </summary>
public sealed class WaldurLinks(IOptions<WaldurOptions> options)
{
    private readonly string? _home = string.IsNullOrWhiteSpace(options.Value.HomeUrl) ? null : options.Value.HomeUrl.Trim().TrimEnd('/');

    public bool Enabled => _home is not null;

    /// <summary>The marketplace resource (one access): homeport's <c>marketplace-resource-details</c>.</summary>
    public string? Resource(Guid? resourceUuid) => Link(resourceUuid, u => $"/resource-details/{u}");

    /// <summary>The organisation's invoices: <c>organization-billing.billing</c>.</summary>
    public string? Invoices(Guid? customerUuid) => Link(customerUuid, u => $"/organizations/{u}/billing/");

    /// <summary>The organisation's team: <c>organization-users</c>.</summary>
    public string? Team(Guid? customerUuid) => Link(customerUuid, u => $"/organizations/{u}/users/");

    /// <summary>The agent's offering as customers see it in the marketplace: <c>public-offering.marketplace-public-offering</c>.</summary>
    public string? Offering(Guid? offeringUuid) => Link(offeringUuid, u => $"/marketplace-public-offering/{u}/");

    // Waldur writes UUIDs as 32 hex digits.
    private string? Link(Guid? uuid, Func<string, string> path) => _home is null || uuid is not { } u ? null : _home + path(u.ToString("N"));
}
