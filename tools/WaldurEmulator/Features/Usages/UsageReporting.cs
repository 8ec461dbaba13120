using System.Globalization;
using System.Text.Json.Nodes;
using WaldurEmulator.Infrastructure;
using WaldurEmulator.State;

namespace WaldurEmulator.Features.Usages;

/// <summary>
/// set_usage: each call REPLACES the amount for (resource, component type, billing period, plan period), where the
/// billing period is the UTC calendar month of "date" (default: now) and the plan period is the one given, or else the
/// one in force at that date (Waldur's ComponentUsageCreateSerializer.save and utils.get_plan_period). Usage filed
/// under no plan period is kept but not invoiced. Only usage/limit components; resource OK/Updating/Terminating.
/// </summary>
internal static class UsageReporting
{
    private static readonly string[] ReportableStates = [ResourceStates.Ok, ResourceStates.Updating, ResourceStates.Terminating];

    public static void SetUsage(EmulatorStore store, JsonBody body, User user)
    {
        var (resource, givenPeriod) = FindResource(store, body);
        if (!ReportableStates.Contains(resource.State))
            throw ApiException.Field("resource", "Resource is not in valid state.");

        var now = store.Now;
        var date = body.OptionalString("date") is { } text ? ParseDate(text) : now;
        var period = Clock.MonthStart(date);
        if (period > Clock.MonthStart(now)) throw ApiException.Field("date", "Usage cannot be reported for a future period.");

        if (givenPeriod is { End: { } end } && end < MonthStart(now))
            throw ApiException.Field("plan_period", "Billing period is closed.");
        var planPeriod = givenPeriod ?? resource.PlanPeriodAt(date);

        var offering = store.Offerings.Get(resource.OfferingUuid);
        var items = body.OptionalArray("usages") ?? throw ApiException.Required("usages");
        var parsed = items.Select(item => Item(item, offering, period < Clock.MonthStart(now), user)).ToList();
        foreach (var (component, amount, description, recurring) in parsed)
        {
            var usage = store.Usages.All.FirstOrDefault(u => u.ResourceUuid == resource.Uuid
                && u.Type == component.Type && u.BillingPeriod == period && u.PlanPeriodUuid == planPeriod?.Uuid)
                ?? store.Usages.Add(new ComponentUsage
                {
                    Uuid = Hex.NewUuid(), ResourceUuid = resource.Uuid, Type = component.Type, BillingPeriod = period,
                    PlanPeriodUuid = planPeriod?.Uuid, Created = now,
                });
            usage.Amount = amount;
            usage.Changes.Add((now, amount));
            usage.Description = description;
            usage.Recurring = recurring;
            usage.Date = date;
        }
    }

    private static (Resource, PlanPeriod?) FindResource(EmulatorStore store, JsonBody body)
    {
        if (body.OptionalString("plan_period") is { } periodUuid)
        {
            var hex = Hex.Normalize(periodUuid);
            foreach (var r in store.Resources.All)
                if (r.PlanPeriods.Find(p => p.Uuid == hex) is { } found) return (r, found);
            throw ApiException.Field("plan_period", "Plan period does not exist.");
        }
        if (body.OptionalString("resource") is not { } resourceUuid)
            throw ApiException.NonField("Either plan_period or resource should be provided.");
        return (store.Resources.Find(resourceUuid) ?? throw ApiException.Field("resource", "Resource does not exist."), null);
    }

    private static DateTimeOffset MonthStart(DateTimeOffset now) => new(Clock.MonthStart(now).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    private static (OfferingComponent, decimal, string, bool) Item(JsonNode? node, Offering offering, bool pastPeriod, User user)
    {
        if (node is not JsonObject json) throw ApiException.Field("usages", "Expected a dictionary of items.");
        var item = new JsonBody(json);
        var type = item.RequiredString("type");
        var component = offering.Components.Find(c => c.Type == type && c.AcceptsUsage)
            ?? throw ApiException.NonField($"These components are invalid: {type}.");
        if (pastPeriod && component.BillingType == "usage" && !user.IsStaff)
            throw ApiException.NonField("Only staff can report usage for a past billing period.");
        var amount = item.OptionalDecimal("amount", 2) ?? throw ApiException.Required("amount");
        if (amount < 0) throw ApiException.Field("amount", "Ensure this value is greater than or equal to 0.");
        return (component, amount, item.OptionalString("description") ?? "", item.OptionalBool("recurring") ?? false);
    }

    private static DateTimeOffset ParseDate(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date) ? date
            : throw ApiException.Field("date", "Datetime has wrong format.");
}
