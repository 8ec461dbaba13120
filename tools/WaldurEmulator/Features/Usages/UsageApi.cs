using System.Globalization;
using WaldurEmulator.Infrastructure;
using WaldurEmulator.State;

namespace WaldurEmulator.Features.Usages;

/// <summary>/api/marketplace-component-usages/: list, retrieve and set_usage.</summary>
internal static class UsageApi
{
    private const string Route = "/marketplace-component-usages/";

    public static void MapUsages(this IEndpointRouteBuilder api)
    {
        api.MapMethods(Route, ["GET", "HEAD"], (HttpContext http, EmulatorStore store) =>
        {
            var q = ListQuery.From(http);
            var period = q.Text("billing_period") is { } text
                ? DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d
                    : throw ApiException.Field("billing_period", "Enter a valid date.")
                : (DateOnly?)null;
            lock (store.Sync)
            {
                var items = store.Usages.All
                    .When(q.Uuid("resource_uuid"), (u, v) => u.ResourceUuid == v)
                    .When(q.Text("resource"), (u, v) => Urls.UuidFrom("resource", v, "marketplace-resources", "marketplace-provider-resources") == u.ResourceUuid)
                    .When(q.Uuid("offering_uuid"), (u, v) => store.Resources.Get(u.ResourceUuid).OfferingUuid == v)
                    .When(q.Uuid("project_uuid"), (u, v) => store.Resources.Get(u.ResourceUuid).ProjectUuid == v)
                    .When(q.Uuid("customer_uuid"), (u, v) => store.Projects.Get(store.Resources.Get(u.ResourceUuid).ProjectUuid).CustomerUuid == v)
                    .When(q.Text("type"), (u, v) => u.Type == v)
                    .When(period, (u, v) => u.BillingPeriod == v)
                    .OrderByDescending(u => u.BillingPeriod)
                    .ToList();
                return Paging.List(http, items, u => UsageJsonMapper.Usage(store, u));
            }
        });
        api.MapGet(Route + "{uuid}/", (string uuid, HttpContext http, EmulatorStore store) =>
        {
            lock (store.Sync) return Paging.One(http, UsageJsonMapper.Usage(store, store.Usages.Get(uuid)));
        });
        api.MapPost(Route + "set_usage/", async (HttpContext http, EmulatorStore store) =>
        {
            var body = await JsonBody.ReadAsync(http.Request);
            lock (store.Sync)
            {
                UsageReporting.SetUsage(store, body, http.CurrentUser());
                return Results.StatusCode(StatusCodes.Status201Created);
            }
        });
    }
}
