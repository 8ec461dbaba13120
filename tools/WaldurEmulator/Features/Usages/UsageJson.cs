using System.Text.Json.Nodes;
using WaldurEmulator.Infrastructure;
using WaldurEmulator.State;

namespace WaldurEmulator.Features.Usages;

/// <summary>
/// ComponentUsage. The subset types "usage" as an integer; Waldur renders the stored Decimal as a JSON
/// number, so whole amounts come out as integers and fractional ones (12.5) as plain numbers.
/// </summary>
internal sealed record UsageJson(
    string Uuid, string Created, string Description, string Type, string Name, string MeasuredUnit, decimal Usage,
    string Date, bool Recurring, string ResourceName, string ResourceUuid, string OfferingName, string OfferingUuid,
    string ProjectName, string ProjectUuid, string CustomerName, string CustomerUuid, string BillingPeriod,
    int? ModifiedBy);

internal static class UsageJsonMapper
{
    public static JsonObject Usage(EmulatorStore store, ComponentUsage u)
    {
        var resource = store.Resources.Get(u.ResourceUuid);
        var offering = store.Offerings.Get(resource.OfferingUuid);
        var project = store.Projects.Get(resource.ProjectUuid);
        var customer = store.Customers.Get(project.CustomerUuid);
        var component = offering.Components.Find(c => c.Type == u.Type);
        return EmulatorJson.ToObject(new UsageJson(u.Uuid, Clock.Iso(u.Created), u.Description, u.Type,
            component?.Name ?? u.Type, component?.MeasuredUnit ?? "", Decimals.Trim(u.Amount), Clock.Iso(u.Date),
            u.Recurring, resource.Name, resource.Uuid, offering.Name, offering.Uuid, project.Name, project.Uuid,
            customer.Name, customer.Uuid, Clock.Date(u.BillingPeriod), null));
    }
}
