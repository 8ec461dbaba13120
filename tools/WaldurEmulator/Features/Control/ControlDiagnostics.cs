using System.Text.Json.Nodes;
using WaldurEmulator.Features.Customers;
using WaldurEmulator.Features.Hooks;
using WaldurEmulator.Features.Offerings;
using WaldurEmulator.Features.Orders;
using WaldurEmulator.Features.Resources;
using WaldurEmulator.Features.Usages;
using WaldurEmulator.Infrastructure;
using WaldurEmulator.State;

namespace WaldurEmulator.Features.Control;

/// <summary>/emulator/ state dump, reset, faults, webhook switches and the delivery log.</summary>
internal static class ControlDiagnostics
{
    public static void MapControlDiagnostics(this IEndpointRouteBuilder control)
    {
        control.MapGet("/state", (HttpContext http, EmulatorStore store, WebhookDispatcher dispatcher) =>
        {
            var urls = Urls.From(http.Request);
            lock (store.Sync)
            {
                return Results.Json(new JsonObject
                {
                    ["customers"] = All(store.Customers.All, c => DirectoryJson.Customer(store, urls, c)),
                    ["projects"] = All(store.Projects.All, p => DirectoryJson.Project(store, urls, p)),
                    ["offerings"] = All(store.Offerings.All, o => OfferingJsonMapper.Provider(store, urls, o)),
                    ["orders"] = All(store.Orders.All, o => OrderJsonMapper.Order(store, urls, o)),
                    ["resources"] = All(store.Resources.All, r => ResourceJsonMapper.Resource(store, urls, r)),
                    ["usages"] = All(store.Usages.All, u => UsageJsonMapper.Usage(store, u)),
                    ["hooks"] = All(store.Hooks.All, h => HookJsonMapper.Hook(store, urls, h)),
                    ["events"] = All(store.Events.All, e => new JsonObject
                    {
                        ["uuid"] = e.Uuid, ["created"] = Clock.Iso(e.Created), ["event_type"] = e.EventType,
                        ["message"] = e.Message, ["context"] = e.Context.DeepClone(),
                    }),
                    ["deliveries"] = Deliveries(dispatcher),
                }, EmulatorJson.Options);
            }
        });
        control.MapPost("/reset", (EmulatorStore store, Faults faults, WebhookSettings settings, WebhookDispatcher dispatcher) =>
        {
            store.Reset();
            faults.Clear();
            settings.Reset();
            dispatcher.ClearAttempts();
            return Results.NoContent();
        });

        control.MapGet("/faults", (Faults faults) => Results.Json(faults.Describe(), EmulatorJson.Options));
        control.MapPost("/faults", async (HttpContext http, Faults faults) =>
        {
            var rule = await ControlApi.Read<FaultRule>(http);
            if (string.IsNullOrEmpty(rule.PathPrefix) || rule.Count < 1)
                throw ApiException.NonField("path_prefix and a positive count are required.");
            faults.Add(rule);
            return Results.Json(rule, EmulatorJson.Options, statusCode: 201);
        });
        control.MapDelete("/faults", (Faults faults) =>
        {
            faults.Clear();
            return Results.NoContent();
        });

        control.MapGet("/webhooks", (WebhookSettings s) => Results.Json(new { enabled = s.Enabled, duplicate = s.Duplicate }));
        control.MapPost("/webhooks", async (HttpContext http, WebhookSettings s) =>
        {
            var body = await ControlApi.Read<WebhookSwitches>(http);
            s.Enabled = body.Enabled ?? s.Enabled;
            s.Duplicate = body.Duplicate ?? s.Duplicate;
            return Results.Json(new { enabled = s.Enabled, duplicate = s.Duplicate });
        });

        // Waits (up to 10 s, or ?wait=false) until queued webhooks have been attempted, then lists the attempts.
        control.MapGet("/deliveries", async (HttpContext http, WebhookDispatcher dispatcher) =>
        {
            if (http.Request.Query["wait"] != "false")
                await dispatcher.WaitIdleAsync(TimeSpan.FromSeconds(10), http.RequestAborted);
            return Results.Json(Deliveries(dispatcher), EmulatorJson.Options);
        });
        control.MapDelete("/deliveries", (WebhookDispatcher dispatcher) =>
        {
            dispatcher.ClearAttempts();
            return Results.NoContent();
        });
    }

    private static JsonArray Deliveries(WebhookDispatcher dispatcher) =>
        new([.. dispatcher.Attempts().Select(a => (JsonNode)new JsonObject
        {
            ["hook_uuid"] = a.HookUuid, ["destination_url"] = a.DestinationUrl, ["event_type"] = a.EventType,
            ["payload"] = a.Payload.DeepClone(), ["status_code"] = a.StatusCode, ["error"] = a.Error,
            ["attempted_at"] = Clock.Iso(a.AttemptedAt),
        })]);

    private static JsonArray All<T>(IEnumerable<T> items, Func<T, JsonObject> toJson) =>
        new([.. items.Select(i => (JsonNode)toJson(i))]);
}
