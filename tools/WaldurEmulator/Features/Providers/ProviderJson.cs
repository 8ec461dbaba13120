using System.Text.Json.Nodes;
using WaldurEmulator.Infrastructure;
using WaldurEmulator.State;
using ServiceProvider = WaldurEmulator.State.ServiceProvider;

namespace WaldurEmulator.Features.Providers;

internal sealed record CategoryJson(
    string Url, string Uuid, string Title, string Description, string? Icon, bool DefaultVmCategory,
    bool DefaultVolumeCategory, bool DefaultTenantCategory, int OfferingCount, int AvailableOfferingsCount,
    IReadOnlyList<object> Sections, IReadOnlyList<object> Columns, IReadOnlyList<object> Components,
    IReadOnlyList<object> Articles, string? Group);

internal sealed record ServiceProviderJson(
    string Url, string Uuid, string Created, string Description, bool EnableNotifications, string Customer,
    string CustomerName, string CustomerUuid, string CustomerAbbreviation, string CustomerSlug,
    string CustomerNativeName, string CustomerCountry, string? Image, IReadOnlyList<object> OrganizationGroups,
    int OfferingCount);

/// <summary>Marketplace categories and service providers as the subset describes them.</summary>
internal static class ProviderJson
{
    public static JsonObject Category(EmulatorStore store, Urls urls, Category c)
    {
        var offerings = store.Offerings.All.Where(o => o.CategoryUuid == c.Uuid).ToList();
        return EmulatorJson.ToObject(new CategoryJson(urls.Category(c.Uuid), c.Uuid, c.Title, c.Description, null,
            false, false, false, offerings.Count, offerings.Count(o => o.State == OfferingStates.Active), [], [], [], [], null));
    }

    public static JsonObject ServiceProvider(EmulatorStore store, Urls urls, ServiceProvider s)
    {
        var c = store.Customers.Get(s.CustomerUuid);
        return EmulatorJson.ToObject(new ServiceProviderJson(urls.ServiceProvider(s.Uuid), s.Uuid, Clock.Iso(s.Created),
            s.Description, true, urls.Customer(c.Uuid), c.Name, c.Uuid, c.Abbreviation, c.Slug, "", "", null, [],
            store.Offerings.All.Count(o => o.CustomerUuid == c.Uuid)));
    }
}
