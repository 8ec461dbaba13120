using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using WaldurEmulator.Infrastructure;
using WaldurEmulator.State;

namespace WaldurEmulator.Features.Offerings;

/// <summary>Reads OfferingComponentRequest and BaseProviderPlanRequest bodies onto the model.</summary>
internal static partial class OfferingRequests
{
    private static readonly string[] BillingTypes = ["fixed", "usage", "limit", "one", "few"];
    private static readonly string[] LimitPeriods = ["month", "quarterly", "annual", "total"];
    private static readonly string[] Units = ["month", "quarter", "half_month", "day", "hour", "quantity"];

    public static OfferingComponent Component(JsonNode? node, string field, OfferingComponent? existing = null)
    {
        if (node is not JsonObject json) throw ApiException.Field(field, "Expected a dictionary of items.");
        var body = new JsonBody(json);
        var billingType = body.RequiredString("billing_type");
        if (!BillingTypes.Contains(billingType))
            throw ApiException.Field("billing_type", $"\"{billingType}\" is not a valid choice.");
        var type = body.RequiredString("type");
        if (!ComponentType().IsMatch(type) || type.Length > 50)
            throw ApiException.Field("type", "Enter a valid \"type\" consisting of letters, numbers, underscores, hyphens, slashes or colons.");
        var limitPeriod = body.OptionalString("limit_period");
        if (!string.IsNullOrEmpty(limitPeriod) && !LimitPeriods.Contains(limitPeriod))
            throw ApiException.Field("limit_period", $"\"{limitPeriod}\" is not a valid choice.");

        var c = existing ?? new OfferingComponent { Uuid = Hex.NewUuid(), Type = type, Name = "", BillingType = billingType };
        c.Type = type;
        c.BillingType = billingType;
        c.Name = body.RequiredString("name");
        c.Description = body.OptionalString("description") ?? c.Description;
        c.MeasuredUnit = body.OptionalString("measured_unit") ?? c.MeasuredUnit;
        c.LimitPeriod = string.IsNullOrEmpty(limitPeriod) ? null : limitPeriod;
        c.LimitAmount = body.OptionalLong("limit_amount");
        c.ArticleCode = body.OptionalString("article_code") ?? c.ArticleCode;
        c.MaxValue = body.OptionalLong("max_value");
        c.MinValue = body.OptionalLong("min_value");
        c.MaxAvailableLimit = body.OptionalLong("max_available_limit");
        c.DefaultLimit = body.OptionalLong("default_limit");
        c.UnitFactor = body.OptionalLong("unit_factor") ?? c.UnitFactor;
        c.IsBoolean = body.OptionalBool("is_boolean") ?? c.IsBoolean;
        c.IsPrepaid = body.OptionalBool("is_prepaid") ?? c.IsPrepaid;
        return c;
    }

    /// <summary>Applies plan fields; also accepts "prices" and "quotas" maps, as Waldur does on offering creation.</summary>
    public static void ApplyPlan(JsonBody body, Plan plan, Offering offering, bool partial)
    {
        if (!partial || body.Has("name")) plan.Name = body.RequiredString("name");
        plan.Description = body.OptionalString("description") ?? plan.Description;
        plan.ArticleCode = body.OptionalString("article_code") ?? plan.ArticleCode;
        plan.BackendId = body.OptionalString("backend_id") ?? plan.BackendId;
        if (body.Has("max_amount")) plan.MaxAmount = body.OptionalLong("max_amount");
        plan.Archived = body.OptionalBool("archived") ?? plan.Archived;
        plan.UnitPrice = body.OptionalDecimal("unit_price", 10) ?? plan.UnitPrice;
        if (body.OptionalString("unit") is { } unit)
            plan.Unit = Units.Contains(unit) ? unit : throw ApiException.Field("unit", $"\"{unit}\" is not a valid choice.");
        foreach (var (type, price) in Prices(body.OptionalObject("prices"), offering, "prices")) plan.Prices[type] = price;
        foreach (var (type, value) in body.OptionalObject("quotas") ?? [])
            plan.Quotas[KnownType(offering, type, "quotas")] = new JsonBody(new JsonObject { ["q"] = value?.DeepClone() }).OptionalLong("q") ?? 0;
    }

    public static IEnumerable<(string Type, decimal Price)> Prices(JsonObject? prices, Offering offering, string field)
    {
        foreach (var (type, value) in prices ?? [])
        {
            var price = new JsonBody(new JsonObject { [field] = value?.DeepClone() }).OptionalDecimal(field, 10) ?? 0;
            yield return (KnownType(offering, type, field), price);
        }
    }

    private static string KnownType(Offering offering, string type, string field) =>
        offering.Components.Any(c => c.Type == type) ? type
            : throw ApiException.Field(field, $"Component {type} is not found in offering {offering.Name}.");

    [GeneratedRegex(@"^[a-zA-Z0-9_\-\/:]+$")]
    private static partial Regex ComponentType();
}
