using System.Globalization;
using System.Text.Json.Nodes;
using WaldurEmulator.Infrastructure;
using WaldurEmulator.State;

namespace WaldurEmulator.Features.Invoices;

/// <summary>
/// /emulator/invoices/ and /emulator/clock (not Waldur's API; the subset has no invoices): the invoice Waldur would
/// issue a customer for a month, with items shaped like Waldur's InvoiceItem, and the clock those dates come from.
/// </summary>
internal static class InvoiceApi
{
    public static void MapInvoices(this IEndpointRouteBuilder control)
    {
        control.MapGet("/invoices/", (HttpContext http, EmulatorStore store) =>
        {
            var q = ListQuery.From(http);
            var customer = q.Uuid("customer_uuid") ?? throw ApiException.Required("customer_uuid");
            var month = q.Text("month") is { } text
                ? DateOnly.TryParseExact(text + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var m) ? m
                    : throw ApiException.Field("month", "Enter a month as YYYY-MM.")
                : Clock.MonthStart(store.Now);
            lock (store.Sync)
            {
                if (store.Customers.Find(customer) is null) throw ApiException.Field("customer_uuid", "Customer does not exist.");
                var lines = Invoicing.Lines(store, customer, month);
                return Results.Json(new JsonObject
                {
                    ["customer_uuid"] = customer,
                    ["year"] = month.Year,
                    ["month"] = month.Month,
                    ["state"] = Clock.MonthStart(store.Now) > month ? "created" : "pending",
                    ["price"] = Decimals.Amount(lines.Sum(l => l.Price)),
                    ["items"] = new JsonArray([.. lines.Select(Item)]),
                }, EmulatorJson.Options);
            }
        });
        control.MapGet("/clock", (EmulatorClock clock) => Results.Json(Now(clock)));
        control.MapPost("/clock", async (HttpContext http, EmulatorClock clock) =>
        {
            var body = await JsonBody.ReadAsync(http.Request);
            clock.Set(body.OptionalString("now") is { } text
                ? DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var now) ? now
                    : throw ApiException.Field("now", "Datetime has wrong format.")
                : null);
            return Results.Json(Now(clock));
        });
    }

    private static JsonObject Now(EmulatorClock clock) => new() { ["now"] = Clock.Iso(clock.GetUtcNow()), ["set"] = clock.IsSet };

    private static JsonNode Item(InvoiceLine line) => new JsonObject
    {
        ["name"] = $"{line.Resource.Name} / {line.Component.Name}",
        ["resource_uuid"] = line.Resource.Uuid,
        ["plan_uuid"] = line.Plan.Uuid,
        ["plan_name"] = line.Plan.Name,
        ["offering_component_type"] = line.Component.Type,
        ["billing_type"] = line.Component.BillingType,
        ["measured_unit"] = line.Component.MeasuredUnit,
        ["start"] = Clock.Iso(line.Start),
        ["end"] = Clock.Iso(line.End),
        ["unit"] = line.Unit,
        ["unit_price"] = Decimals.Price(line.UnitPrice),
        ["quantity"] = line.Quantity.ToString("0.##########", CultureInfo.InvariantCulture),
        ["price"] = Decimals.Amount(line.Price),
    };
}
