using WaldurEmulator.Infrastructure;
using WaldurEmulator.State;

namespace WaldurEmulator.Features.Customers;

/// <summary>/api/customers/, /api/projects/ and /api/users/me/.</summary>
internal static class DirectoryApi
{
    public static void MapDirectory(this IEndpointRouteBuilder api)
    {
        api.MapMethods("/customers/", ["GET", "HEAD"], (HttpContext http, EmulatorStore store) =>
        {
            var q = ListQuery.From(http);
            lock (store.Sync)
            {
                var isProvider = q.Bool("is_service_provider");
                var items = store.Customers.All
                    .When(q.Text("name"), (c, v) => c.Name.Has(v))
                    .When(q.Text("name_exact"), (c, v) => c.Name == v)
                    .When(q.Text("abbreviation"), (c, v) => c.Abbreviation.Has(v))
                    .When(q.Text("query"), (c, v) => c.Name.Has(v) || c.Abbreviation.Has(v))
                    .When(isProvider, (c, v) => store.ServiceProviders.All.Any(s => s.CustomerUuid == c.Uuid) == v)
                    .When(q.Uuid("service_provider_uuid"), (c, v) => store.ServiceProviders.Find(v)?.CustomerUuid == c.Uuid)
                    .ToList();
                return Paging.List(http, items, c => DirectoryJson.Customer(store, Urls.From(http.Request), c));
            }
        });
        api.MapPost("/customers/", async (HttpContext http, DirectoryService directory, EmulatorStore store) =>
        {
            var body = await JsonBody.ReadAsync(http.Request);
            var customer = directory.CreateCustomer(body.RequiredString("name"), body.OptionalString("abbreviation"),
                body.OptionalString("email"), body.OptionalString("contact_details"), http.Actor());
            lock (store.Sync) return Results.Json(DirectoryJson.Customer(store, Urls.From(http.Request), customer), EmulatorJson.Options, statusCode: 201);
        });
        api.MapGet("/customers/{uuid}/", (string uuid, HttpContext http, EmulatorStore store) =>
        {
            lock (store.Sync) return Paging.One(http, DirectoryJson.Customer(store, Urls.From(http.Request), store.Customers.Get(uuid)));
        });

        api.MapMethods("/projects/", ["GET", "HEAD"], (HttpContext http, EmulatorStore store) =>
        {
            var q = ListQuery.From(http);
            lock (store.Sync)
            {
                var items = store.Projects.All
                    .WhenAny(q.Uuids("customer"), p => p.CustomerUuid)
                    .When(q.Uuid("customer_uuid"), (p, v) => p.CustomerUuid == v)
                    .When(q.Text("customer_name"), (p, v) => store.Customers.Get(p.CustomerUuid).Name.Has(v))
                    .When(q.Text("name"), (p, v) => p.Name.Has(v))
                    .When(q.Text("name_exact"), (p, v) => p.Name == v)
                    .When(q.Text("query"), (p, v) => p.Name.Has(v))
                    .ToList();
                return Paging.List(http, items, p => DirectoryJson.Project(store, Urls.From(http.Request), p));
            }
        });
        api.MapPost("/projects/", async (HttpContext http, DirectoryService directory, EmulatorStore store) =>
        {
            var body = await JsonBody.ReadAsync(http.Request);
            var customerUuid = Urls.UuidFrom("customer", body.OptionalString("customer"), "customers");
            var endDate = body.OptionalString("end_date") is { } text ? DateOnly.Parse(text, System.Globalization.CultureInfo.InvariantCulture) : (DateOnly?)null;
            var project = directory.CreateProject(customerUuid, body.RequiredString("name"), body.OptionalString("description"), endDate, http.Actor());
            lock (store.Sync) return Results.Json(DirectoryJson.Project(store, Urls.From(http.Request), project), EmulatorJson.Options, statusCode: 201);
        });
        api.MapGet("/projects/{uuid}/", (string uuid, HttpContext http, EmulatorStore store) =>
        {
            lock (store.Sync) return Paging.One(http, DirectoryJson.Project(store, Urls.From(http.Request), store.Projects.Get(uuid)));
        });

        api.MapGet("/users/me/", (HttpContext http) => Paging.One(http, DirectoryJson.User(Urls.From(http.Request), http.CurrentUser())));
    }
}
