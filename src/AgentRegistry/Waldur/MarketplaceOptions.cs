using System.ComponentModel.DataAnnotations;

namespace AgentRegistry.Waldur;

/// <summary>How the registry appears in the Waldur marketplace; section <c>Waldur:Marketplace</c>.</summary>
public sealed class MarketplaceOptions
{
    public const string Section = "Waldur:Marketplace";

    /// <summary>The Waldur customer (organisation) that provides the agents; it becomes a service provider when publishing.</summary>
    public Guid? ProviderCustomerUuid { get; set; }

    /// <summary>Marketplace category of published offerings; when empty, a category titled <see cref="CategoryTitle"/> is used.</summary>
    public Guid? CategoryUuid { get; set; }
    public string CategoryTitle { get; set; } = "AI Agents";

    /// <summary>Offering type. The site-agent type keeps orders in executing until the registry has provisioned them.</summary>
    public string OfferingType { get; set; } = "Marketplace.Slurm";

    /// <summary>Public address of this registry, for links written into Waldur resources (the config portal).</summary>
    [Url]
    public string? PublicUrl { get; set; }

    /// <summary>How often pending orders are fetched from Waldur, so a missed webhook delays nothing longer than this.</summary>
    [Range(5, 86_400)]
    public int PollSeconds { get; set; } = 180;
}
