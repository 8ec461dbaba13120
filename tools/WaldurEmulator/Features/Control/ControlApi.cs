using System.Text.Json.Nodes;
using WaldurEmulator.Features.Customers;
using WaldurEmulator.Features.Events;
using WaldurEmulator.Features.Hooks;
using WaldurEmulator.Features.Orders;
using WaldurEmulator.Infrastructure;
using WaldurEmulator.State;

namespace WaldurEmulator.Features.Control;

/// <summary>
/// /emulator/: not part of Waldur. How tests play the customer (customers, projects, orders), inject faults,
/// steer webhooks and inspect or reset the state.
/// </summary>
internal static class ControlApi
{
    public static void MapControl(this IEndpointRouteBuilder control)
    {
        control.MapPost("/customers", async (HttpContext http, DirectoryService directory, EmulatorStore store) =>
        {
            var body = await Read<NewCustomer>(http);
            var customer = directory.CreateCustomer(Required(body.Name, "name"), body.Abbreviation, body.Email, body.ContactDetails, Consumer(http, store, null));
            lock (store.Sync) return Created(DirectoryJson.Customer(store, Urls.From(http.Request), customer));
        });
        control.MapPost("/projects", async (HttpContext http, DirectoryService directory, EmulatorStore store) =>
        {
            var body = await Read<NewProject>(http);
            var project = directory.CreateProject(Uuid(body.CustomerUuid, "customer_uuid"), Required(body.Name, "name"),
                body.Description, body.EndDate, Consumer(http, store, null));
            lock (store.Sync) return Created(DirectoryJson.Project(store, Urls.From(http.Request), project));
        });
        // Changes made in Waldur outside the registry's view (an organisation renamed, blocked or archived or deleted, a
        // project renamed, given an end date or deleted), each with the event Waldur sends for it.
        control.MapPatch("/customers/{uuid}", async (string uuid, HttpContext http, DirectoryService directory, EmulatorStore store) =>
        {
            var body = await Read<CustomerChange>(http);
            if (body.Name is not null) Required(body.Name, "name");
            var customer = directory.UpdateCustomer(uuid, body.Name, body.Blocked, body.Archived, Consumer(http, store, null));
            lock (store.Sync) return Results.Json(DirectoryJson.Customer(store, Urls.From(http.Request), customer), EmulatorJson.Options);
        });
        control.MapPatch("/projects/{uuid}", async (string uuid, HttpContext http, DirectoryService directory, EmulatorStore store) =>
        {
            var body = await Read<ProjectChange>(http);
            if (body.Name is not null) Required(body.Name, "name");
            var project = directory.UpdateProject(uuid, body.Name, body.EndDate, Consumer(http, store, null));
            lock (store.Sync) return Results.Json(DirectoryJson.Project(store, Urls.From(http.Request), project), EmulatorJson.Options);
        });
        control.MapDelete("/customers/{uuid}", (string uuid, HttpContext http, DirectoryService directory, EmulatorStore store) =>
        {
            directory.DeleteCustomer(uuid, Consumer(http, store, null));
            return Results.NoContent();
        });
        control.MapDelete("/projects/{uuid}", (string uuid, HttpContext http, DirectoryService directory, EmulatorStore store) =>
        {
            directory.DeleteProject(uuid, Consumer(http, store, null));
            return Results.NoContent();
        });
        control.MapPost("/orders", async (HttpContext http, OrderWorkflow workflow, EmulatorStore store) =>
        {
            var body = await Read<NewOrder>(http);
            var request = new OrderRequest(Uuid(body.OfferingUuid, "offering_uuid"), Hex.Normalize(body.PlanUuid),
                Uuid(body.ProjectUuid, "project_uuid"), body.Type ?? OrderTypes.Create, Hex.Normalize(body.ResourceUuid),
                body.Attributes, body.Limits, body.RequestComment);
            lock (store.Sync)
            {
                var order = workflow.Place(request, Consumer(http, store, body.Username));
                return Created(OrderJsonMapper.Order(store, Urls.From(http.Request), order));
            }
        });
        control.MapPost("/tokens", async (HttpContext http, EmulatorStore store) =>
        {
            var body = await Read<NewToken>(http);
            var user = store.AddToken(Required(body.Token, "token"), body.Username ?? "emulator", body.IsStaff, body.IsSupport);
            return Created(DirectoryJson.User(Urls.From(http.Request), user));
        });
        // A usage lost in Waldur (deleted by staff, never stored): what the invoice then misses, for reconciliation tests.
        control.MapDelete("/usages/{uuid}", (string uuid, EmulatorStore store) =>
        {
            lock (store.Sync)
            {
                store.Usages.Remove(store.Usages.Get(Hex.Normalize(uuid)));
                return Results.NoContent();
            }
        });
        control.MapControlDiagnostics();
    }

    /// <summary>Control calls act as a customer's user (default "consumer") calling Waldur's API.</summary>
    private static Actor Consumer(HttpContext http, EmulatorStore store, string? username) =>
        new(store.UserNamed(username ?? "consumer"), http.Connection.RemoteIpAddress?.ToString());

    internal static async Task<T> Read<T>(HttpContext http)
    {
        try
        {
            return await http.Request.ReadFromJsonAsync<T>(EmulatorJson.Options)
                ?? throw ApiException.Detail(400, "A JSON body is required.");
        }
        catch (System.Text.Json.JsonException e)
        {
            throw ApiException.Detail(400, $"JSON parse error - {e.Message}");
        }
    }

    private static string Required(string? value, string field) =>
        string.IsNullOrWhiteSpace(value) ? throw ApiException.Required(field) : value;

    private static string Uuid(string? value, string field) =>
        Hex.Normalize(Required(value, field)) ?? throw ApiException.Field(field, "Must be a valid UUID.");

    private static IResult Created(JsonObject body) => Results.Json(body, EmulatorJson.Options, statusCode: 201);
}
