using WaldurEmulator.Infrastructure;
using WaldurEmulator.State;
using ServiceProvider = WaldurEmulator.State.ServiceProvider;

namespace WaldurEmulator.Features.Providers;

/// <summary>/api/marketplace-categories/ and /api/marketplace-service-providers/.</summary>
internal static class ProviderApi
{
    public static void MapProviders(this IEndpointRouteBuilder api)
    {
        api.MapMethods("/marketplace-categories/", ["GET", "HEAD"], (HttpContext http, EmulatorStore store) =>
        {
            var q = ListQuery.From(http);
            lock (store.Sync)
            {
                var items = store.Categories.All.When(q.Text("title"), (c, v) => c.Title.Has(v)).ToList();
                return Paging.List(http, items, c => ProviderJson.Category(store, Urls.From(http.Request), c));
            }
        });
        api.MapGet("/marketplace-categories/{uuid}/", (string uuid, HttpContext http, EmulatorStore store) =>
        {
            lock (store.Sync) return Paging.One(http, ProviderJson.Category(store, Urls.From(http.Request), store.Categories.Get(uuid)));
        });

        api.MapMethods("/marketplace-service-providers/", ["GET", "HEAD"], (HttpContext http, EmulatorStore store) =>
        {
            var q = ListQuery.From(http);
            lock (store.Sync)
            {
                var items = store.ServiceProviders.All
                    .When(q.Uuid("customer_uuid"), (s, v) => s.CustomerUuid == v)
                    .When(q.Text("customer"), (s, v) => Urls.UuidFrom("customer", v, "customers") == s.CustomerUuid)
                    .ToList();
                return Paging.List(http, items, s => ProviderJson.ServiceProvider(store, Urls.From(http.Request), s));
            }
        });
        api.MapPost("/marketplace-service-providers/", async (HttpContext http, EmulatorStore store) =>
        {
            var body = await JsonBody.ReadAsync(http.Request);
            var customerUuid = Urls.UuidFrom("customer", body.OptionalString("customer"), "customers");
            lock (store.Sync)
            {
                var customer = store.Customers.Find(customerUuid)
                    ?? throw ApiException.Field("customer", "Invalid hyperlink - Object does not exist.");
                if (store.ServiceProviders.All.Any(s => s.CustomerUuid == customer.Uuid))
                    throw ApiException.Field("customer", "service provider with this customer already exists.");
                var provider = store.ServiceProviders.Add(new ServiceProvider
                {
                    Uuid = Hex.NewUuid(), CustomerUuid = customer.Uuid, Description = body.OptionalString("description") ?? "",
                    Created = store.Now,
                });
                return Results.Json(ProviderJson.ServiceProvider(store, Urls.From(http.Request), provider), EmulatorJson.Options, statusCode: 201);
            }
        });
        api.MapGet("/marketplace-service-providers/{uuid}/", (string uuid, HttpContext http, EmulatorStore store) =>
        {
            lock (store.Sync) return Paging.One(http, ProviderJson.ServiceProvider(store, Urls.From(http.Request), store.ServiceProviders.Get(uuid)));
        });
    }
}
