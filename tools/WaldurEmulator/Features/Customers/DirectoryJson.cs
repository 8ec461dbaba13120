using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using WaldurEmulator.Infrastructure;
using WaldurEmulator.State;

namespace WaldurEmulator.Features.Customers;

internal sealed record CustomerJson(
    string Url, string Uuid, string Created, string Name, string Slug, string Abbreviation, string NativeName,
    string DisplayName, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Email, string ContactDetails, string Description, string BackendId, bool Blocked,
    bool Archived, bool IsServiceProvider, string? ServiceProvider, string? ServiceProviderUuid, int ProjectsCount,
    int UsersCount, string DefaultTaxPercent, string? Image);

internal sealed record ProjectJson(
    string Url, string Uuid, string Name, string Slug, string Customer, string CustomerUuid, string CustomerName,
    string CustomerSlug, string CustomerNativeName, string CustomerAbbreviation, string Description, string Created,
    string? Type, string BackendId, string? StartDate, string? EndDate, bool IsRemoved, int ResourcesCount,
    Dictionary<string, int> MarketplaceResourceCount);

internal sealed record UserJson(
    string Url, string Uuid, string Username, string FullName, string FirstName, string LastName, string NativeName,
    string Email, string Organization, string JobTitle, string Description, bool IsStaff, bool IsSupport, bool IsActive,
    string RegistrationMethod, string DateJoined, bool NotificationsEnabled, string PreferredLanguage,
    IReadOnlyList<object> Permissions);

/// <summary>Customers, projects and users as the Customer, Project and User schemas describe them.</summary>
internal static class DirectoryJson
{
    public static JsonObject Customer(EmulatorStore store, Urls urls, Customer c)
    {
        var provider = store.ServiceProviders.All.FirstOrDefault(s => s.CustomerUuid == c.Uuid);
        return EmulatorJson.ToObject(new CustomerJson(urls.Customer(c.Uuid), c.Uuid, Clock.Iso(c.Created), c.Name,
            c.Slug, c.Abbreviation, "", c.Name, c.Email.Length > 0 ? c.Email : null, c.ContactDetails, "", "", c.Blocked, c.Archived, provider is not null,
            provider is null ? null : urls.ServiceProvider(provider.Uuid), provider?.Uuid,
            store.Projects.All.Count(p => p.CustomerUuid == c.Uuid), 0, "0.00", null));
    }

    public static JsonObject Project(EmulatorStore store, Urls urls, Project p)
    {
        var c = store.Customers.Get(p.CustomerUuid);
        var resources = store.Resources.All.Where(r => r.ProjectUuid == p.Uuid && r.State != ResourceStates.Terminated).ToList();
        var byCategory = resources.GroupBy(r => store.Offerings.Get(r.OfferingUuid).CategoryUuid)
            .ToDictionary(g => g.Key, g => g.Count());
        return EmulatorJson.ToObject(new ProjectJson(urls.Project(p.Uuid), p.Uuid, p.Name, p.Slug, urls.Customer(c.Uuid),
            c.Uuid, c.Name, c.Slug, "", c.Abbreviation, p.Description, Clock.Iso(p.Created), null, "", null,
            Clock.Date(p.EndDate), false, resources.Count, byCategory));
    }

    public static JsonObject User(Urls urls, User u) => EmulatorJson.ToObject(new UserJson(urls.User(u.Uuid), u.Uuid,
        u.Username, u.FullName, u.FullName, "", "", u.Email, "", "", "", u.IsStaff, u.IsSupport, true, "default",
        Clock.Iso(u.Created), true, "", []));
}
